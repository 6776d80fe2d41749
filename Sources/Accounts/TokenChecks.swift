// `sessions check` and `devices check`: a web application runs one on every request, so
// a successful check is a read (docs/guide.md, "Sessions"): it is not audited and, under
// the shared lock, writes nothing unless the stored last-use time is a minute old
// (Session / TrustedDevice `needsRefresh`). Only then, or to audit a rejection, is the
// vault opened again under the exclusive lock and read afresh (another checker may have
// refreshed it, or revoked it, meanwhile), and written once: the user record keeps its
// length when only a time changes, so that write is done in place (docs/FORMAT.md,
// "Writing in place"), and it logs nothing, so it leaves the audit log and its commit
// mark alone. Dead sessions and devices are pruned by that write, never by a read.
import Vault

public enum TokenChecks {
  /// `sessions check`: the user and live session the token opens, or nil. A token no
  /// index record names, or of a disabled user, is rejected without an event (as
  /// before); one whose user holds no live session for it is audited
  /// (`session.rejected`, a failure) and its dead sessions are pruned. `store` may be
  /// open for reading; it must not be used afterwards (it may have been reopened and
  /// committed).
  public static func session(_ token: String, in store: AccountStore) throws -> (user: User, session: Session)? {
    var store = store
    let now = store.now
    while true {
      let hash = Token.hash(token, key: try store.tokenKey())
      guard var u = try store.userForSession(tokenHash: hash), !u.disabled else { return nil }
      if let s = Sessions.find(u, tokenHash: hash, now: now), !s.needsRefresh(at: now) { return (u, s) }
      guard store.isWritable else {
        store = try store.reopenedForWriting()
        continue  // read again: what the shared lock showed may have changed
      }
      try store.pruneExpired(&u)  // dead sessions leave the token index too
      guard let s = Sessions.check(&u, tokenHash: hash, now: now) else {
        try store.save(u, event: AccountEvent(.sessionRejected, user: u, outcome: .failure))
        try store.commit()
        return nil
      }
      try store.saveUnaudited(u)
      try store.commit()
      return (u, s)
    }
  }

  /// `devices check`: the user (throws `AccountsError.userNotFound` for an unknown one)
  /// and the live trusted device the token opens, or nil with the rejection audited
  /// (`device.rejected`, a failure; a malformed token and a disabled user included).
  /// `store` as in `session`.
  public static func device(_ token: String, user name: String, in store: AccountStore) throws
    -> (user: User, device: TrustedDevice?)
  {
    var store = store
    let now = store.now
    while true {
      var u = try store.user(name)
      let hash = u.disabled || !Token.isWellFormed(token, .device) ? nil : Token.hash(token, key: try store.tokenKey())
      if let hash = hash, let d = Devices.find(u, tokenHash: hash, now: now), !d.needsRefresh(at: now) { return (u, d) }
      guard store.isWritable else {
        store = try store.reopenedForWriting()
        continue
      }
      guard let hash = hash, let d = Devices.check(&u, tokenHash: hash, now: now) else {
        store.record(AccountEvent(.deviceRejected, user: u, outcome: .failure))
        try store.commit()
        return (u, nil)
      }
      try store.saveUnaudited(u)
      try store.commit()
      return (u, d)
    }
  }
}

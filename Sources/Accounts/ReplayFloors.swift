// After a restore: what the replaced vault had already used stays used (docs/security.md,
// "State that can be rolled back or torn": replay floors are raised to what the
// replaced vault shows as used).
//
// The source is the replaced vault's user records, not its audit events: events carry
// no counters, steps or code hashes (a detail never holds a code), while the records
// hold exactly the floors, authenticated like every record. A restore reaches them
// only when the key given opens the replaced vault (Backup.restore opens a scratch copy
// of it); a corrupt or foreign vault raises nothing.
import Sodium
import Vault

public enum ReplayFloors {
  public struct Raised: Equatable {
    /// Authenticators whose HOTP counter or TOTP last step went up.
    public var authenticators = 0
    /// Recovery codes the restored vault had unused that the replaced one did not.
    public var recoveryCodes = 0
    public init() {}
  }

  /// Raises, in `restored` (staged, not committed), each authenticator's floor to the
  /// replaced vault's when that is higher (HOTP: the next unused counter; TOTP: the last
  /// accepted step), for the same user (by id) and the same authenticator (id and
  /// secret); and removes from each user's unused recovery codes those the replaced
  /// vault does not hold as unused (used there, or voided by a newer set). Users the
  /// replaced vault does not know are left as they are.
  public static func raise(in restored: AccountStorage, from replaced: AccountStorage, now: Int64) throws -> Raised {
    let actor = Actor(name: "restore")
    let old = AccountStore(storage: replaced, now: now, actor: actor)
    var before: [String: User] = [:]
    for u in try old.allUsers() { before[u.id] = u }
    let store = AccountStore(storage: restored, now: now, actor: actor)
    var raised = Raised()
    for var user in try store.allUsers() {
      guard let was = before[user.id] else { continue }
      var changed = false
      for i in user.authenticators.indices {
        let a = user.authenticators[i]
        guard let b = was.authenticators.first(where: { $0.id == a.id && $0.secret == a.secret && $0.type == a.type })
        else { continue }
        var up = false
        if b.counter > a.counter {
          user.authenticators[i].counter = b.counter
          up = true
        }
        if let step = b.lastStep, a.lastStep.map({ step > $0 }) ?? true {
          user.authenticators[i].lastStep = step
          up = true
        }
        if up {
          raised.authenticators += 1
          changed = true
        }
      }
      do {
        if var set = try RecoveryCodeSet.load(user) {
          let unusedThen = try RecoveryCodeSet.load(was)?.hashes ?? []
          let kept = set.hashes.filter { h in unusedThen.contains(h) }
          if kept.count < set.hashes.count {
            raised.recoveryCodes += set.hashes.count - kept.count
            set.hashes = kept
            set.store(into: &user)
            changed = true
          }
        }
      } catch let e as DecodeError {
        throw VaultError.corrupt("user record: \(e.reason)")
      }
      if changed {
        var bytes = UserCodec.encode(user)
        restored.put(AccountStore.key(user.name), bytes)
        Sodium.wipe(&bytes)
      }
    }
    return raised
  }
}

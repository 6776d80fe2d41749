// `sessions revoke ID` and `sessions revoke --user USER --all`: each revoked session
// leaves the token index and is recorded (`session.revoked`; "none" when there was none).

public enum RevokeSessions {
  public enum Input {
    /// The session with this id, whoever it belongs to.
    case id(String)
    /// Every session of this user.
    case allOf(user: String)
  }

  public struct Result {
    public var user: User
    public var revoked: [Session]
  }

  /// Nil when no user has a session with that id (nothing is written).
  public static func run(_ store: AccountStore, _ input: Input) throws -> Result? {
    var owner: User
    var revoked: [Session]
    switch input {
    case .allOf(let name):
      owner = try store.user(name)
      revoked = Sessions.revokeAll(&owner)
    case .id(let id):
      // Ids are per user, so look through all of them.
      guard var u = try store.allUsers().first(where: { try Sessions.load($0).contains { $0.id == id } }) else {
        return nil
      }
      revoked = [try Sessions.revoke(&u, id: id)]
      owner = u
    }
    store.unindexSessions(revoked)
    for s in revoked.dropLast() { store.record(AccountEvent(.sessionRevoked, user: owner, detail: ["session": s.id])) }
    try store.save(
      owner, event: AccountEvent(.sessionRevoked, user: owner, detail: ["session": revoked.last?.id ?? "none"]))
    try store.commit()
    return Result(user: owner, revoked: revoked)
  }
}

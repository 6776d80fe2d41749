// `users erase`: a user and every trace of their name (right to erasure). Their sessions
// and trusted devices are revoked first, each with its event; their audit events stay,
// and stay verifiable, under an id nothing names any more.

public enum EraseUser {
  public struct Result {
    /// The user erased; nil when only a removed user's remembered name was forgotten.
    public var user: User?
    /// The ids whose name is forgotten.
    public var ids: [String]
  }

  /// Erases a present user; or, when there is none by that name, forgets the name of
  /// removed users still remembered for the audit listing. `userNotFound` when neither.
  public static func run(_ store: AccountStore, user name: String) throws -> Result {
    guard var u = try store.userIfExists(name) else {
      let ids = try store.removedUserIDs(named: name)
      guard !ids.isEmpty else { throw AccountsError.userNotFound(name) }
      for id in ids {
        var e = AccountEvent(.userErased)
        e.userID = id
        store.forgetRemovedUser(id: id, event: e)
      }
      try store.commit()
      return Result(user: nil, ids: ids)
    }
    try store.revokeAccess(&u, reason: "user erased")
    store.erase(u, event: AccountEvent(.userErased, user: u))
    try store.commit()
    return Result(user: u, ids: [u.id])
  }
}

// `users remove` (a user, or one authenticator of theirs) and `users erase` (a user and
// every trace of their name). Both revoke the user's sessions and trusted devices first,
// each revocation with its event.

public enum RemoveUser {
  public struct Input {
    public var user: String
    /// Remove only this authenticator (nil: the whole user).
    public var authenticator: String?
    public init(user: String, authenticator: String? = nil) {
      self.user = user
      self.authenticator = authenticator
    }
  }

  /// The user as they were last (after the revocations).
  public static func run(_ store: AccountStore, _ input: Input) throws -> User {
    var u = try store.user(input.user)
    if let id = input.authenticator {
      _ = try u.removeAuthenticator(id: id)
      try store.revokeAccess(&u, reason: "authenticator removed")
      try store.save(u, event: AccountEvent(.authenticatorRemoved, user: u, detail: ["authenticator": id]))
    } else {
      try store.revokeAccess(&u, reason: "user removed")
      store.remove(u, event: AccountEvent(.userRemoved, user: u))
    }
    try store.commit()
    return u
  }
}

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

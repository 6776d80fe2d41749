// `users remove`: a user, or one authenticator of theirs. The user's sessions and
// trusted devices are revoked first, each revocation with its event. Their name stays
// known to the audit log until `users erase` (EraseUser.swift).

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

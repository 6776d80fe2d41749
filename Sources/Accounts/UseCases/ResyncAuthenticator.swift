// `users resync`: two consecutive codes move an authenticator's drift or counter, with
// `authenticator.resynced`; a failure is counted and recorded before it is thrown.

public enum ResyncAuthenticator {
  public struct Input {
    public var user: String
    public var code1: String
    public var code2: String
    /// Which authenticator (nil: the active ones).
    public var authenticatorID: String?
    public init(user: String, code1: String, code2: String, authenticatorID: String? = nil) {
      self.user = user
      self.code1 = code1
      self.code2 = code2
      self.authenticatorID = authenticatorID
    }
  }

  public struct Result {
    public var user: User
    public var authenticatorID: String
    public var offset: Int64
  }

  /// Throws the engine's AccountsError after recording it (`authenticator.resync_locked`,
  /// `authenticator.resync_failed`); other errors record nothing.
  public static func run(_ store: AccountStore, _ input: Input) throws -> Result {
    var u = try store.user(input.user)
    let (id, offset): (String, Int64)
    do {
      (id, offset) = try Verifier.resync(
        &u, authenticatorID: input.authenticatorID, code1: input.code1, code2: input.code2, now: store.now)
    } catch let e as AccountsError {
      // The engine recorded the failed attempt in `u` (lockout); keep it and audit it.
      var event: AccountEvent? = nil
      switch e {
      case .lockedOut: event = AccountEvent(.authenticatorResyncLocked, user: u, outcome: .failure)
      case .resyncFailed, .resyncDriftTooLarge:
        event = AccountEvent(.authenticatorResyncFailed, user: u, outcome: .failure)
      case .malformedCode(let rule):  // a typo is a wrong code: counted by the engine
        event = AccountEvent(.authenticatorResyncFailed, user: u, outcome: .failure, detail: .malformed(rule))
      default: break
      }
      if let event = event {
        try store.save(u, event: event)
        try store.commit()
      }
      throw e
    }
    try store.save(
      u, event: AccountEvent(.authenticatorResynced, user: u, detail: ["authenticator": id, "offset": String(offset)]))
    try store.commit()
    return Result(user: u, authenticatorID: id, offset: offset)
  }
}

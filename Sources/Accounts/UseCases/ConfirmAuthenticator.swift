// `enrol --confirm`: a code from the pending authenticator activates it. Recorded like a
// sign-in (VerifyCode), as `enrol.confirmed` / `enrol.rejected`.

public enum ConfirmAuthenticator {
  public struct Input {
    public var user: String
    public var code: String
    /// Which pending authenticator (nil: the only one).
    public var authenticatorID: String?
    public init(user: String, code: String, authenticatorID: String? = nil) {
      self.user = user
      self.code = code
      self.authenticatorID = authenticatorID
    }
  }

  public static func run(_ store: AccountStore, _ input: Input) throws -> SignInOutcome {
    var u = try store.user(input.user)
    let result: SignInResult
    switch try Enrolment.confirm(&u, code: input.code, now: store.now, authenticatorID: input.authenticatorID) {
    case .accepted(let id, let offset): result = .accepted(.authenticator(id: id, offset: offset))
    case .rejected(let replay): result = .rejected(replay: replay)
    case .locked(let until): result = .locked(until: until)
    case .disabled: result = .disabled
    case .noActiveAuthenticator: result = .noFactor
    case .malformed(let rule): result = .malformed(rule)
    }
    return try VerifyCode.record(store, u, result, extras: SignInExtras(), events: .enrolment) { _ in }
  }
}

// `enrol USER`: a new authenticator (pending until `enrol --confirm`, or active with
// --activate), and the user too when they are new (`user.created`, `enrol.started`).
import OTP

public enum StartEnrolment {
  public struct Input {
    public var user: String
    public var type: OTPType
    public var algorithm: OTPAlgorithm
    public var digits: Int
    public var period: UInt32
    public var issuer: String?
    public var label: String?
    /// An imported secret (nil: a new random one).
    public var secret: [UInt8]?
    public var counter: UInt64
    public var activate: Bool

    public init(
      user: String, type: OTPType, algorithm: OTPAlgorithm, digits: Int, period: UInt32, issuer: String?,
      label: String?, secret: [UInt8]?, counter: UInt64, activate: Bool
    ) {
      self.user = user
      self.type = type
      self.algorithm = algorithm
      self.digits = digits
      self.period = period
      self.issuer = issuer
      self.label = label
      self.secret = secret
      self.counter = counter
      self.activate = activate
    }
  }

  public struct Result {
    public var user: User
    public var authenticator: Authenticator
  }

  /// `reveal` shows the new secret (and writes its QR files) before the commit: if it
  /// throws, nothing is stored, so no authenticator exists whose secret nobody saw
  /// (ARCHITECTURE.md, Rules, "Fail closed").
  public static func run(_ store: AccountStore, _ input: Input, reveal: (Result) throws -> Void) throws -> Result {
    let existing = try store.userIfExists(input.user)
    var u = try existing ?? Enrolment.newUser(name: input.user, now: store.now)
    let auth = try Enrolment.newAuthenticator(
      type: input.type, algorithm: input.algorithm, digits: input.digits, period: input.period, issuer: input.issuer,
      label: input.label, secret: input.secret, counter: input.counter, activate: input.activate,
      existingIDs: Set(u.authenticators.map(\.id)), now: store.now)
    u.authenticators.append(auth)
    if existing == nil { store.record(AccountEvent(.userCreated, user: u)) }
    try store.save(
      u,
      event: AccountEvent(
        .enrolStarted, user: u,
        detail: ["authenticator": auth.id, "type": auth.type.rawValue, "state": input.activate ? "active" : "pending"]))
    let result = Result(user: u, authenticator: auth)
    try reveal(result)
    try store.commit()
    return result
  }
}

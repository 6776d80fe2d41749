// The second-factor state of one user account. Plain values: the rules that change them
// live in Verification.swift, Lockout.swift and Enrolment.swift, the byte layout in
// UserCodec.swift.
import OTP

public enum AuthenticatorState: UInt8 {
  /// Enrolled but not yet confirmed with a code; `verify` ignores it.
  case pending = 0
  case active = 1
}

public struct Authenticator: Equatable {
  /// 8 lowercase hex characters (4 random bytes), unique within the user.
  public var id: String
  /// `--label`: a name for the authenticator chosen by the administrator.
  public var label: String?
  public var issuer: String?
  public var type: OTPType
  public var algorithm: OTPAlgorithm
  /// 6 or 8.
  public var digits: Int
  /// TOTP step length in seconds (1...86400; default 30). Kept, unused, for HOTP.
  public var period: UInt32
  public var secret: [UInt8]
  public var state: AuthenticatorState
  /// Unix seconds.
  public var createdAt: Int64
  public var confirmedAt: Int64?
  public var lastUsedAt: Int64?
  /// TOTP: the highest accepted step; it and every earlier step are never accepted again.
  public var lastStep: UInt64?
  /// TOTP: step offset of the device seen on the last success (clamped to
  /// ±`Verifier.maxDrift`); it centres the next window (the steps around the server's
  /// own current step stay accepted too, see `Verifier.windowSteps`).
  public var drift: Int32
  /// HOTP: the next unused counter; it only moves forward.
  public var counter: UInt64

  public init(
    id: String, label: String? = nil, issuer: String? = nil, type: OTPType, algorithm: OTPAlgorithm,
    digits: Int, period: UInt32, secret: [UInt8], state: AuthenticatorState, createdAt: Int64,
    confirmedAt: Int64? = nil, lastUsedAt: Int64? = nil, lastStep: UInt64? = nil, drift: Int32 = 0,
    counter: UInt64 = 0
  ) {
    self.id = id
    self.label = label
    self.issuer = issuer
    self.type = type
    self.algorithm = algorithm
    self.digits = digits
    self.period = period
    self.secret = secret
    self.state = state
    self.createdAt = createdAt
    self.confirmedAt = confirmedAt
    self.lastUsedAt = lastUsedAt
    self.lastStep = lastStep
    self.drift = drift
    self.counter = counter
  }

  public var isActive: Bool { state == .active }
}

public struct User: Equatable {
  public var name: String
  /// 16 lowercase hex characters, random and stable: audit events refer to it, so a
  /// removed and re-created user of the same name is a different user.
  public var id: String
  public var createdAt: Int64
  public var disabled: Bool
  /// Consecutive failed attempts (codes, recovery codes, challenge codes together).
  public var failures: UInt32
  public var lockedUntil: Int64?
  public var lastSuccessAt: Int64?
  public var authenticators: [Authenticator]
  /// Opaque sections owned by other features (recovery codes, devices, sessions, ...),
  /// keyed by a tag; the codec keeps them byte for byte.
  public var extensions: [UInt16: [UInt8]]

  public init(
    name: String, id: String, createdAt: Int64, disabled: Bool = false, failures: UInt32 = 0,
    lockedUntil: Int64? = nil, lastSuccessAt: Int64? = nil, authenticators: [Authenticator] = [],
    extensions: [UInt16: [UInt8]] = [:]
  ) {
    self.name = name
    self.id = id
    self.createdAt = createdAt
    self.disabled = disabled
    self.failures = failures
    self.lockedUntil = lockedUntil
    self.lastSuccessAt = lastSuccessAt
    self.authenticators = authenticators
    self.extensions = extensions
  }

  /// True while a lockout is running (`now < lockedUntil`).
  public func isLocked(at now: Int64) -> Bool {
    guard let until = lockedUntil else { return false }
    return now < until
  }

  public var hasActiveAuthenticator: Bool {
    authenticators.contains { $0.state == .active }
  }

  public var hasPendingAuthenticator: Bool {
    authenticators.contains { $0.state == .pending }
  }

  /// Index of the authenticator with this id, if any.
  public func authenticatorIndex(id: String) -> Int? {
    authenticators.firstIndex { $0.id == id }
  }

  /// Removes one authenticator; throws `authenticatorNotFound` when there is none with
  /// this id. (Revoking the user's sessions and devices is the caller's part.)
  @discardableResult
  public mutating func removeAuthenticator(id: String) throws -> Authenticator {
    guard let i = authenticatorIndex(id: id) else { throw AccountsError.authenticatorNotFound(id) }
    return authenticators.remove(at: i)
  }
}

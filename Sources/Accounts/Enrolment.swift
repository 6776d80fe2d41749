// Enrolment: new users and authenticators, and confirming a pending authenticator with
// its first code. Random values come from libsodium.
import OTP
import Sodium

public enum Enrolment {
  public static let digitsAllowed: Set<Int> = [6, 8]
  public static let defaultPeriod: UInt32 = 30
  public static let periodRange: ClosedRange<UInt32> = 1...86400
  /// RFC 4226 asks for at least 128 bits and recommends 160; 80 bits is the floor some
  /// older tokens and provisioning systems still use, so imported secrets may be that short.
  public static let minSecretLength = 10
  public static let maxSecretLength = 1024
  /// Longest `--issuer` / `--label`, in UTF-8 bytes.
  public static let maxTextLength = 256
  public static let maxAuthenticatorsPerUser = 32

  // MARK: Identifiers

  /// A new user id: 16 lowercase hex characters (8 random bytes).
  public static func newUserID() -> String {
    Sodium.randomHex(8)
  }

  /// A new authenticator id: 8 lowercase hex characters (4 random bytes), not in `existing`.
  public static func newAuthenticatorID(existing: Set<String>) -> String {
    while true {
      let id = Sodium.randomHex(4)
      if !existing.contains(id) { return id }
    }
  }

  // MARK: Users and authenticators

  /// A new user with no authenticator yet; throws `invalidUserName`.
  public static func newUser(name: String, now: Int64) throws -> User {
    try UserName.validate(name)
    return User(name: name, id: newUserID(), createdAt: now)
  }

  /// A new authenticator, pending unless `activate` (`enrol --activate`, which also sets
  /// `confirmedAt`). `secret` nil draws `algorithm.defaultSecretLength` random bytes;
  /// `counter` is the HOTP starting counter (an imported URI may carry one).
  ///
  /// Throws `invalidParameter` for digits other than 6 or 8, a period outside
  /// 1...86400 s, a secret shorter than 10 or longer than 1024 bytes, an empty or
  /// overlong issuer or label, one with control characters or bidirectional overrides
  /// (`DisplayText`), a HOTP counter above `HOTP.maxCounter`, an issuer with ':' (the
  /// Key Uri Format separates issuer and account with it), or a user that already
  /// holds `maxAuthenticatorsPerUser`.
  public static func newAuthenticator(
    type: OTPType = .totp, algorithm: OTPAlgorithm = .sha1, digits: Int = 6, period: UInt32 = defaultPeriod,
    issuer: String? = nil, label: String? = nil, secret: [UInt8]? = nil, counter: UInt64 = 0,
    activate: Bool = false, existingIDs: Set<String>, now: Int64
  ) throws -> Authenticator {
    guard digitsAllowed.contains(digits) else { throw AccountsError.invalidParameter("digits must be 6 or 8") }
    guard periodRange.contains(period) else {
      throw AccountsError.invalidParameter("period must be 1 to 86400 seconds")
    }
    guard counter <= HOTP.maxCounter else {
      throw AccountsError.invalidParameter("HOTP counter must be 0 to \(HOTP.maxCounter)")
    }
    if let s = secret {
      guard s.count >= minSecretLength else {
        throw AccountsError.invalidParameter("secret must be at least \(minSecretLength) bytes (80 bits)")
      }
      guard s.count <= maxSecretLength else {
        throw AccountsError.invalidParameter("secret must be at most \(maxSecretLength) bytes")
      }
    }
    if let issuer = issuer {
      try checkText(issuer, what: "issuer")
      guard !issuer.contains(":") else { throw AccountsError.invalidParameter("issuer must not contain ':'") }
    }
    if let label = label { try checkText(label, what: "label") }
    guard existingIDs.count < maxAuthenticatorsPerUser else {
      throw AccountsError.invalidParameter("a user may hold at most \(maxAuthenticatorsPerUser) authenticators")
    }
    return Authenticator(
      id: newAuthenticatorID(existing: existingIDs), label: label, issuer: issuer, type: type, algorithm: algorithm,
      digits: digits, period: period, secret: secret ?? Sodium.randomBytes(algorithm.defaultSecretLength),
      state: activate ? .active : .pending, createdAt: now, confirmedAt: activate ? now : nil, counter: counter)
  }

  // MARK: Confirmation

  /// `enrol --confirm`: accepts a code from a pending authenticator (newest first, or
  /// only `authenticatorID` when given) under the same window rules as `verify`, and
  /// activates it: state `.active`, `confirmedAt = now`, and `lastStep` / `counter`
  /// moved past the code so it cannot be replayed. A wrong code is a failure for the
  /// lockout like in `verify`, a success resets it; disabled and locked users are
  /// answered as in `verify`.
  ///
  /// A malformed code (not 6 or 8 digits, or no pending one of its length) is a wrong
  /// code: after the disabled and locked checks it gives `.malformed`, counted.
  /// Throws `noPendingAuthenticator` when nothing is
  /// pending, `authenticatorNotFound` for an unknown id, `invalidParameter` for an id
  /// that is already active.
  public static func confirm(
    _ user: inout User, code: String, now: Int64, authenticatorID: String? = nil,
    options: VerifyOptions = .init()
  ) throws -> VerifyResult {
    let window = try Verifier.checkedWindow(options)
    let lookAhead = try Verifier.checkedLookAhead(options)
    let input = Verifier.normalised(code)
    var candidates: [Int]
    if let id = authenticatorID {
      guard let i = user.authenticatorIndex(id: id) else { throw AccountsError.authenticatorNotFound(id) }
      guard user.authenticators[i].state == .pending else {
        throw AccountsError.invalidParameter("authenticator \(id) is already active")
      }
      candidates = [i]
    } else {
      candidates = user.authenticators.indices.filter { user.authenticators[$0].state == .pending }
      guard !candidates.isEmpty else { throw AccountsError.noPendingAuthenticator(user.name) }
      // Newest first; among equal times, the one enrolled later (later in the list).
      candidates.sort {
        let (l, r) = (user.authenticators[$0].createdAt, user.authenticators[$1].createdAt)
        return l != r ? l > r : $0 > $1
      }
    }
    let problem = input == nil ? Verifier.shapeRule : Verifier.lengthProblem(input!, user.authenticators, candidates)

    switch Lockout.admit(&user, now: now) {
    case .admitted: break
    case .disabled: return .disabled
    case .locked(let until): return .locked(until: until)
    }
    if let rule = problem { return Verifier.rejectMalformed(&user, rule: rule, now: now) }
    return Verifier.attempt(
      &user, candidates: candidates, code: input!, now: now, window: window, lookAhead: lookAhead, activate: true)
  }

  // MARK: Helpers

  static func checkText(_ s: String, what: String) throws {
    guard !s.isEmpty else { throw AccountsError.invalidParameter("\(what) must not be empty") }
    guard s.utf8.count <= maxTextLength else {
      throw AccountsError.invalidParameter("\(what) must be at most \(maxTextLength) bytes")
    }
    try DisplayText.validate(s, what: what)
  }

}

// One sign-in attempt with whatever the user presents: a code from an authenticator,
// a challenge code sent by email or SMS (`challenge send`), or, when the caller allows
// it, a recovery code. All of them share one lockout (docs/guide.md, "Users").
import OTP
import Sodium

public enum SignInMethod: Equatable {
  case authenticator(id: String, offset: Int64)
  case challenge
  case recovery(remaining: Int)
}

public enum SignInResult: Equatable {
  case accepted(SignInMethod)
  case rejected(replay: Bool)
  case locked(until: Int64)
  case disabled
  /// Nothing could check the code: no active authenticator and no live challenge.
  case noFactor
  /// The user's policy requires an active authenticator and it has none.
  case mfaRequired
  /// The code has no shape any factor of this user takes (a typo): a wrong code,
  /// counted as a failure; the payload is the rule it broke, never the code.
  case malformed(String)
}

/// The keys of the hashes a sign-in may check. Each is fetched only when a code needs
/// it (a recovery code; a 6-digit code while a challenge is live), so an authenticator
/// code costs no key lookup in the vault (`keys/hashing`, docs/FORMAT.md).
public struct SignInKeys {
  private let recoveryKey: () throws -> SecureBytes
  private let challengesKey: () throws -> SecureBytes

  public init(recovery: SecureBytes, challenges: SecureBytes) {
    recoveryKey = { recovery }
    challengesKey = { challenges }
  }

  public init(recovery: @escaping () throws -> SecureBytes, challenges: @escaping () throws -> SecureBytes) {
    recoveryKey = recovery
    challengesKey = challenges
  }

  public var recovery: SecureBytes { get throws { try recoveryKey() } }
  public var challenges: SecureBytes { get throws { try challengesKey() } }
}

public enum SignIn {
  /// Order: disabled; locked (counts as a failure); policy; then a malformed code is a
  /// wrong code (`.malformed`, counted as a failure: docs/guide.md, "Exit codes", 1);
  /// then a live challenge code is tried (a match is consumed), then the authenticators
  /// (Verifier.verify), then, with `allowRecovery`, a recovery code. A challenge's tries
  /// are only charged when nothing else accepted the code.
  public static func attempt(
    _ user: inout User, code: String, now: Int64, options: VerifyOptions = .init(), allowRecovery: Bool,
    keys: SignInKeys
  ) throws -> SignInResult {
    let compact = Verifier.withoutSpaces(code)
    let isDigits = Verifier.isDigits(compact)
    // Recovery codes have 10 characters, so a 6 or 8 digit code is never one; an
    // all-digit recovery code typed without its hyphen still is.
    // An 8-digit code is an authenticator's unless the user has no 8-digit
    // authenticator: then, with --allow-recovery, it is an imported scratch code.
    let has8 = user.authenticators.contains { $0.isActive && $0.digits == 8 }
    let otpShaped = isDigits && (compact.utf8.count == 6 || (compact.utf8.count == 8 && (has8 || !allowRecovery)))
    let looksLikeRecovery = allowRecovery && !otpShaped && RecoveryCodes.normalise(code) != nil
    var malformed: String? = nil
    if !isDigits && !looksLikeRecovery {
      malformed = allowRecovery ? "expected a 6 or 8 digit code or a recovery code XXXXX-XXXXX" : Verifier.shapeRule
    } else if !(compact.utf8.count == 6 || compact.utf8.count == 8 || looksLikeRecovery) {
      malformed = Verifier.shapeRule
    }

    switch Lockout.admit(&user, now: now) {
    case .admitted: break
    case .disabled: return .disabled
    case .locked(let until): return .locked(until: until)
    }
    if try UserPolicy.load(user).requireMFA && !user.hasActiveAuthenticator { return .mfaRequired }
    if let rule = malformed {
      Lockout.recordFailure(&user, now: now)
      return .malformed(rule)
    }

    if looksLikeRecovery {
      switch try RecoveryCodes.use(&user, code: code, key: try keys.recovery, now: now) {
      case .accepted(let remaining): return .accepted(.recovery(remaining: remaining))
      case .rejected: return .rejected(replay: false)
      case .locked(let until): return .locked(until: until)
      case .disabled: return .disabled
      case .noCodes:  // counted as a failure by RecoveryCodes.use
        return .rejected(replay: false)
      case .malformed(let rule): return .malformed(rule)  // counted by RecoveryCodes.use
      }
    }

    // A challenge code (6 digits) first: consuming it leaves the authenticators alone.
    var charged = user
    let hasChallenge = try compact.utf8.count == 6 && Challenges.hasLive(user, now: now)
    if hasChallenge {
      if try Challenges.consume(&charged, code: compact, key: try keys.challenges, now: now) {
        user = charged
        Lockout.recordSuccess(&user, now: now)
        return .accepted(.challenge)
      }
    }

    if user.hasActiveAuthenticator,
      user.authenticators.contains(where: { $0.isActive && $0.digits == compact.utf8.count })
    {
      var checked = user
      let result = try Verifier.verify(&checked, code: compact, now: now, options: options)
      if case .accepted(let id, let offset) = result {
        user = checked
        return .accepted(.authenticator(id: id, offset: offset))
      }
      // Rejected: keep the verifier's state (failure, lock) and the challenge tries.
      if hasChallenge {
        checked.extensions[ExtensionTag.challenges.rawValue] = charged.extensions[ExtensionTag.challenges.rawValue]
      }
      user = checked
      switch result {
      case .rejected(let replay): return .rejected(replay: replay)
      case .locked(let until): return .locked(until: until)
      case .disabled: return .disabled
      case .malformed(let rule): return .malformed(rule)
      case .noActiveAuthenticator, .accepted: return .noFactor
      }
    }
    if hasChallenge {
      user = charged
      Lockout.recordFailure(&user, now: now)
      return .rejected(replay: false)
    }
    if user.hasActiveAuthenticator {
      Lockout.recordFailure(&user, now: now)
      return .malformed("code must have as many digits as the user's authenticator")
    }
    return .noFactor
  }
}

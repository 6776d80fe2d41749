// Errors of the account logic. One voice with the rest of mfactl: lowercase, no final
// period, and never a secret, a code or a token in a message (they end up in terminals,
// logs and audit details).

import Vault

public enum AccountsError: Error, Equatable, CustomStringConvertible {
  /// The user name breaks the naming rule; the payload says which part (never echoes
  /// the name itself, which may hold control characters).
  case invalidUserName(String)
  case userNotFound(String)
  case userExists(String)
  /// The user is disabled: nothing may be created for them (a session, a device, a
  /// challenge) until `users enable`.
  case userDisabled(String)
  case authenticatorNotFound(String)
  /// `verify`-like operations on a user with no active authenticator.
  case noActiveAuthenticator(String)
  /// `enrol --confirm` on a user with nothing pending.
  case noPendingAuthenticator(String)
  /// The code is not well-formed; payload is the rule. A typo is a wrong code: where it
  /// is thrown (resync) the failure has been counted, and the CLI exits 1.
  case malformedCode(String)
  /// A parameter is out of range (digits, period, secret length, window, ...).
  case invalidParameter(String)
  /// No pair of consecutive codes matched within the resync search range.
  case resyncFailed
  /// The codes matched, but so far from the server clock that `verify` could not follow
  /// (the remembered drift is bounded); nothing was changed.
  case resyncDriftTooLarge(steps: Int64, seconds: Int64)
  /// The user is locked out (lockout) until `until`; the try was refused without its
  /// codes being checked and counted as a further failure (exit 2).
  case lockedOut(user: String, until: Int64)

  public var description: String {
    switch self {
    case .invalidUserName(let reason): return "invalid user name: \(reason)"
    case .userNotFound(let name): return "user not found: \(name)"
    case .userExists(let name): return "user already exists: \(name)"
    case .userDisabled(let name): return "\(name) is disabled"
    case .authenticatorNotFound(let id): return "authenticator not found: \(id)"
    case .noActiveAuthenticator(let name): return "user \(name) has no active authenticator"
    case .noPendingAuthenticator(let name): return "user \(name) has no pending authenticator to confirm"
    case .malformedCode(let rule): return "malformed code: \(rule)"
    case .invalidParameter(let what): return "invalid parameter: \(what)"
    case .resyncFailed: return "resync failed: the two codes are not consecutive codes of this authenticator"
    case .lockedOut(let user, let until):
      return "\(user) is locked out until \(UTCTime.format(until))"
    case .resyncDriftTooLarge(let steps, let seconds):
      return
        "resync refused: the device is \(steps) steps (\(seconds) s) off, more than the \(Verifier.maxDrift) steps verify can follow; set the device clock right"
    }
  }
}

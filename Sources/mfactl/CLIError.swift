import Accounts
import ArgumentParser
import OTP
import QR
import Vault

#if canImport(Glibc)
  import Glibc
#endif

/// Exit codes of the contract (docs/guide.md, "Exit codes"; mfactl(1), EXIT STATUS).
enum Exit {
  static let ok: Int32 = 0
  static let rejected: Int32 = 1
  static let locked: Int32 = 2
  static let usage: Int32 = 64
  static let dataError: Int32 = 65
  static let notFound: Int32 = 66
  /// The named user is not in the vault (EX_NOUSER), apart from 66 so that PAM's
  /// `nullok` and scripts can tell "not enrolled" from "misconfigured".
  static let noUser: Int32 = 67
  static let cannotCreate: Int32 = 73
  static let ioError: Int32 = 74
  static let unavailable: Int32 = 69
  static let busy: Int32 = 75
  static let unlockFailed: Int32 = 77
}

/// An error the CLI reports itself: one line, a contract exit code, an optional hint.
struct CLIError: Error {
  var message: String
  var code: Int32
  var hint: String?

  init(_ message: String, code: Int32, hint: String? = nil) {
    self.message = message
    self.code = code
    self.hint = hint
  }
}

/// The one error voice: `mfactl: error: ...` (lowercase, no final period) and a `hint:`
/// line saying what to do next.
enum Report {
  static func error(_ message: String, hint: String? = nil) {
    Terminal.stderr("mfactl: error: \(message)\n")
    if let hint = hint { Terminal.stderr("hint: \(hint)\n") }
  }

  static func warning(_ message: String, hint: String? = nil) {
    Terminal.stderr("mfactl: warning: \(message)\n")
    if let hint = hint { Terminal.stderr("hint: \(hint)\n") }
  }

  /// Maps any library error to the contract's exit code and a message.
  static func classify(_ error: Error) -> CLIError {
    switch error {
    case let e as CLIError:
      return e
    case let e as VaultError:
      var hint: String? = nil
      switch e {
      case .unlockFailed:
        hint = "check --key-file / $MFACTL_KEY_FILE, --passphrase-file / $MFACTL_PASSPHRASE_FILE or $MFACTL_PASSPHRASE"
      case .busy:
        hint = "another mfactl is working on this vault; retry, or raise $MFACTL_LOCK_TIMEOUT (seconds)"
      case .corrupt, .unsupportedVersion:
        hint = "restore the vault from a backup; the file was left as it is"
      case .unavailable(_, let h):
        hint = h
      case .notFound:
        hint = "create one with 'mfactl init', or point --vault (or $MFACTL_VAULT) at an existing vault"
      default: break
      }
      return CLIError(e.description, code: e.exitCode, hint: hint)
    case let e as AccountsError:
      switch e {
      case .invalidUserName: return CLIError(e.description, code: Exit.usage)
      case .userNotFound:
        return CLIError(e.description, code: Exit.noUser, hint: "mfactl users list shows who is enrolled")
      case .authenticatorNotFound: return CLIError(e.description, code: Exit.notFound)
      case .noPendingAuthenticator: return CLIError(e.description, code: Exit.notFound)
      case .userExists: return CLIError(e.description, code: Exit.cannotCreate)
      case .userDisabled(let name):
        return CLIError(e.description, code: Exit.rejected, hint: "mfactl users enable \(name)")
      case .noActiveAuthenticator(let name):
        return CLIError(
          e.description, code: Exit.rejected,
          hint: "confirm a pending authenticator: mfactl enrol \(name) --confirm CODE")
      case .malformedCode: return CLIError(e.description, code: Exit.rejected)  // a typo is a wrong code
      case .invalidParameter: return CLIError(e.description, code: Exit.usage)
      case .resyncFailed, .resyncDriftTooLarge: return CLIError(e.description, code: Exit.rejected)
      case .lockedOut(let user, _):
        return CLIError(e.description, code: Exit.locked, hint: "mfactl users unlock \(user)")
      }
    case let e as OTPError:
      return CLIError(e.description, code: Exit.dataError)
    case let e as QRError:
      if case .libraryUnavailable = e {
        // Like libpq for a PostgreSQL vault: a missing run-time library is "unavailable".
        return CLIError(
          e.description, code: Exit.unavailable,
          hint: "enrol draws every new authenticator's QR code; install it: apt-get install libqrencode4")
      }
      if case .loadingRefused = e {
        return CLIError(
          e.description, code: Exit.unavailable,
          hint: "a statically linked mfactl draws QR codes only on the glibc it was built with")
      }
      return CLIError(e.description, code: Exit.dataError)
    case let e as DecodeError:
      return CLIError("vault is corrupt or has been tampered with (\(e.reason))", code: Exit.dataError)
    default:
      return CLIError("\(error)", code: Exit.ioError)
    }
  }
}

extension Report {
  /// Runs a command body, reporting any error in the one voice and turning it into the
  /// contract's exit code.
  static func catching(_ body: () throws -> Void) throws {
    do {
      try body()
    } catch let e as ExitCode {
      throw e
    } catch {
      let e = Report.classify(error)
      Report.error(e.message, hint: e.hint)
      throw ExitCode(e.code)
    }
  }
}

extension ParsableCommand {
  /// Runs a command body, reporting errors in the one voice (ArgumentParser's own
  /// parsing errors keep their usage exit, 64).
  func reporting(_ body: () throws -> Void) throws {
    try Report.catching(body)
  }
}

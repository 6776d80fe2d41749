/// Everything that can go wrong opening, unlocking or writing a vault. Each case maps to
/// one exit code of the contract (`exitCode`), so the CLI never has to guess.
public enum VaultError: Error, Equatable, CustomStringConvertible {
  /// No vault file at the path (66).
  case notFound(String)
  /// A file that must not be overwritten exists (73).
  case alreadyExists(String)
  /// Bytes that do not parse or authenticate (65).
  case corrupt(String)
  /// A format version newer than this build reads (65).
  case unsupportedVersion(UInt16)
  /// No key slot opened with the key given (77).
  case unlockFailed
  /// No key source was given at all (77).
  case noKeySource
  /// The lock was not granted in time (75).
  case busy(String, seconds: Double)
  /// A system call failed (74).
  case io(String)
  /// A request the vault cannot honour, e.g. removing its last key slot (64).
  case invalid(String)
  /// A file given as a key file is not one (65; 77 when it was given to unlock).
  case badKeyFile(path: String, size: Int)
  /// No key slot matches (66).
  case slotNotFound(String)
  /// The audit log does not verify: the first bad record and why (65).
  case auditTampered(firstBadSeq: UInt64, reason: String)
  /// An audit log version newer than this build reads (65).
  case unsupportedAuditVersion(UInt16)
  /// A path named where a regular file is expected holds a directory, FIFO, socket or
  /// device (65): refused without reading, never waited on.
  case notRegularFile(path: String, kind: String)
  /// Input past a documented limit (65); the message names the limit and, for line
  /// input, the line.
  case inputTooLarge(String)
  /// The vault file is older than its audit log: the log holds records committed after
  /// the vault's head (`vaultSeq`), up to `logSeq`; the vault was put back to a copy (65).
  case rolledBack(vaultSeq: UInt64, logSeq: UInt64)
  /// A PostgreSQL vault's server cannot be reached, refused the connection, or libpq is
  /// not installed (69); `hint` says what to do.
  case unavailable(String, hint: String?)

  public var description: String {
    switch self {
    case .notFound(let p): return "no vault at \(p)"
    case .alreadyExists(let p): return "\(p) already exists"
    case .corrupt(let why): return "vault is corrupt or has been tampered with (\(why))"
    case .unsupportedVersion(let v):
      return "vault format version \(v) is newer than this mfactl reads (highest: \(VaultFormat.version))"
    case .unlockFailed: return "wrong passphrase or key file"
    case .noKeySource: return "no key to unlock the vault"
    case .busy(let p, let s):
      return "vault is busy: \(p) is locked by another process (waited \(Int(s.rounded())) s)"
    case .io(let why): return why
    case .invalid(let why): return why
    case .badKeyFile(let path, let size):
      return "\(path) is not a key file: it has \(size) bytes, a key file has \(KeyFile.length)"
    case .slotNotFound(let what): return "the vault has no \(what)"
    case .auditTampered(let seq, let why): return "audit log has been tampered with at record \(seq): \(why)"
    case .unsupportedAuditVersion(let v):
      return "audit log version \(v) is newer than this mfactl reads (highest: \(AuditLog.version))"
    case .notRegularFile(let path, let kind): return "\(path) is not a regular file (it is a \(kind))"
    case .inputTooLarge(let why): return why
    case .unavailable(let why, _): return why
    case .rolledBack(let vaultSeq, let logSeq):
      let n = logSeq - vaultSeq
      return
        "the vault is older than its audit log: \(n) committed event\(n == 1 ? "" : "s") after event \(vaultSeq) (up to \(logSeq))"
        + " — the vault file was rolled back or restored from a copy; codes it would accept may have been used already;"
        + " put back the newest vault file, or restore from a backup (mfactl backup restore --force FILE)"
    }
  }

  /// The contract's exit code for this error.
  public var exitCode: Int32 {
    switch self {
    case .notFound: return 66
    case .alreadyExists: return 73
    case .corrupt, .unsupportedVersion, .badKeyFile, .auditTampered, .unsupportedAuditVersion, .notRegularFile,
      .inputTooLarge, .rolledBack:
      return 65
    case .slotNotFound: return 66
    case .unlockFailed, .noKeySource: return 77
    case .busy: return 75
    case .unavailable: return 69
    case .io: return 74
    case .invalid: return 64
    }
  }
}

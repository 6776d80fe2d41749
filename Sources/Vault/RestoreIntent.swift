// The switch of a restore from the old vault and log to the new pair, made atomic by an
// intent record (docs/FORMAT.md, "Restoring"). Two renames cannot happen at once, so the
// restore writes both new files beside the vault, then `<vault>.restore`, the record
// that it is committed; from then on any process that opens the vault (holding the
// exclusive lock; a reader takes it for the moment) finishes the switch before it reads
// anything. Every step of `finish` can be done again after a crash: it looks at which
// files are still there.
import Sodium

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

enum RestoreIntent {
  static let magic: [UInt8] = Array("MFARSTR1".utf8)

  static func path(_ vaultPath: String) -> String { vaultPath + ".restore" }
  /// The restored vault and log, waiting for their renames.
  static func stagedVault(_ vaultPath: String) -> String { vaultPath + ".restore-vault" }
  static func stagedAudit(_ vaultPath: String) -> String { vaultPath + ".restore-audit" }

  struct Record: Equatable {
    /// The backup has an audit log (else the restored vault has none and `.audit` goes).
    var hasAudit: Bool
    /// The suffix the replaced files are kept under: `.replaced-<T>[-n]`.
    var suffix: String

    func encode() -> [UInt8] {
      var w = ByteWriter(capacity: 64)
      w.raw(magic)
      w.u8(hasAudit ? 1 : 0)
      let s = Array(suffix.utf8)
      w.u16(UInt16(s.count))
      w.raw(s)
      w.raw(Sodium.blake2b(w.bytes, length: 32))
      return w.bytes
    }

    static func decode(_ b: [UInt8]) -> Record? {
      guard b.count >= 8 + 1 + 2 + 32, Array(b[0..<8]) == magic,
        Sodium.blake2b(Array(b[0..<(b.count - 32)]), length: 32) == Array(b[(b.count - 32)...])
      else { return nil }
      let n = Int(b[9]) | Int(b[10]) << 8
      guard b[8] <= 1, b.count == 11 + n + 32, n <= 64,
        let s = String(validating: b[11..<(11 + n)], as: UTF8.self), s.hasPrefix(".replaced-"), !s.contains("/")
      else { return nil }
      return Record(hasAudit: b[8] == 1, suffix: s)
    }
  }

  /// One stat(2): is a restore waiting to be finished?
  static func isPending(_ vaultPath: String) -> Bool {
    var st = stat()
    return Syscalls.lstat(path(vaultPath), &st) == 0
  }

  /// Makes the restore durable: the intent is written to a temp file, fsynced and
  /// renamed into place, and the directory fsynced. The staged files must be durable.
  static func commit(_ record: Record, vaultPath: String) throws {
    // Named like the vault's temp files, so a killed restore's is removed by the next writer.
    let tmp = "\(vaultPath).tmp-\(getpid())-\(Sodium.randomHex(6))"
    try FileIO.createExclusive(tmp, contents: record.encode())
    defer { Syscalls.unlink(tmp) }
    guard Syscalls.rename(tmp, path(vaultPath)) == 0 else {
      throw VaultError.io(FileIO.errnoText("cannot create", path(vaultPath)))
    }
    try FileIO.syncDirectory(of: vaultPath)
  }

  /// What `finish` kept of the replaced vault (nil: there was none, or another process
  /// kept it).
  struct Kept {
    var vault: String? = nil
    var audit: String? = nil
    var journal: String? = nil
    var auditNext: String? = nil
  }

  /// Finishes a committed restore (the caller holds the exclusive lock). Without an
  /// intent, removes staged files a restore left before committing. A damaged intent is
  /// reported (65) and left in place: nothing can be known about how far it got.
  @discardableResult
  static func finish(vaultPath real: String) throws -> Kept {
    let intent = path(real)
    guard isPending(real) else {
      Syscalls.unlink(stagedVault(real))
      Syscalls.unlink(stagedAudit(real))
      return Kept()
    }
    guard let bytes = try? FileIO.readSmallFile(intent, limit: 4096), let r = Record.decode(bytes) else {
      throw VaultError.corrupt("\(intent), the record of an unfinished restore, is damaged; finish the restore again")
    }
    let newVault = stagedVault(real)
    let newAudit = stagedAudit(real)
    let audit = AuditLog.path(real)
    let next = AuditLog.nextPath(real)
    let journal = Journal.path(real)
    var kept = Kept()
    func fail(_ what: String, _ p: String) -> VaultError { .io(FileIO.errnoText("restore: cannot \(what)", p)) }

    // Keep the replaced files: hard links (the vault path is never empty), and renames
    // of a pending journal and rewritten log, which belong to the replaced vault. Only
    // while the new vault has not replaced it yet.
    let vaultReplaced = !FileIO.exists(newVault)
    if !vaultReplaced {
      if FileIO.exists(real) && !FileIO.exists(real + r.suffix) {
        guard Syscalls.link(real, real + r.suffix) == 0 else { throw fail("keep", real) }
        kept.vault = real + r.suffix
      }
      if Journal.hasContent(vaultPath: real) {
        if FileIO.exists(journal + r.suffix) {
          Journal.clear(vaultPath: real)
        } else {
          guard Syscalls.rename(journal, journal + r.suffix) == 0 else { throw fail("keep", journal) }
          kept.journal = journal + r.suffix
        }
      }
    }
    let auditReplaced = r.hasAudit && !FileIO.exists(newAudit)
    if !auditReplaced && FileIO.exists(audit) && !FileIO.exists(audit + r.suffix) {
      guard Syscalls.link(audit, audit + r.suffix) == 0 else { throw fail("keep", audit) }
      kept.audit = audit + r.suffix
    }
    if FileIO.exists(next) {
      if FileIO.exists(next + r.suffix) {
        Syscalls.unlink(next)
      } else {
        guard Syscalls.rename(next, next + r.suffix) == 0 else { throw fail("keep", next) }
        kept.auditNext = next + r.suffix
      }
    }
    try FileIO.syncDirectory(of: real)

    // The switch.
    if !vaultReplaced {
      guard Syscalls.rename(newVault, real) == 0 else { throw fail("replace", real) }
      Journal.clear(vaultPath: real)
    }
    if r.hasAudit {
      if !auditReplaced { guard Syscalls.rename(newAudit, audit) == 0 else { throw fail("replace", audit) } }
    } else if FileIO.exists(audit) {
      guard Syscalls.unlink(audit) == 0 else { throw fail("remove", audit) }
    }
    try FileIO.syncDirectory(of: real)
    guard Syscalls.unlink(intent) == 0 else { throw fail("remove", intent) }
    try FileIO.syncDirectory(of: real)
    return kept
  }
}

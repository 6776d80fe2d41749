// Backups: one file holding a vault and its audit log, encrypted and authenticated
// (docs/FORMAT.md, "Backups"). This file: the format, making a backup and checking one
// completely; restoring is BackupRestore.swift, backup directories BackupRotation.swift.
// No CLI code: the command-line side is Sources/mfactl/Commands/Backup/.
//
// The header and checksum are the vault's own, byte for byte, so the key slots that
// opened the vault open the backup (or the vault's header with one passphrase slot
// instead, for a separate backup passphrase); the audit file inside is the committed
// log. Byte layout in docs/FORMAT.md, "Backups"; Tests/Fixtures holds a sample.
import Sodium

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What can go wrong with a backup file, each with the contract's exit code.
public enum BackupError: Error, Equatable, CustomStringConvertible {
  /// No file at the path (66).
  case notFound(String)
  /// The output file exists: a backup never overwrites (73).
  case alreadyExists(String)
  /// Bytes that do not parse or authenticate (65).
  case corrupt(path: String, reason: String)
  /// A backup format newer than this build reads (65).
  case unsupportedVersion(path: String, version: UInt16)
  /// No key slot of the backup opened with the key given (77). `passphraseOnly`: the
  /// backup has only a passphrase slot (typically a separate backup passphrase).
  case unlockFailed(path: String, passphraseOnly: Bool)
  /// Restore without --force over a vault that opens with the key given (64).
  case vaultStillOpens(String)
  /// Restore without --force over a vault that is not provably broken: its header is
  /// sound but the key given does not open it, or it has a newer format (64).
  case vaultNotChecked(path: String, reason: String)

  public var description: String {
    switch self {
    case .notFound(let p): return "no backup at \(p)"
    case .alreadyExists(let p): return "\(p) already exists"
    case .corrupt(let p, let why): return "backup \(p) is corrupt or has been tampered with (\(why))"
    case .unsupportedVersion(let p, let v):
      return
        "backup \(p) has format version \(v), which this mfactl does not read (highest: \(Backup.version)): newer, or damaged"
    case .unlockFailed(let p, _): return "the key given does not open backup \(p)"
    case .vaultStillOpens(let p): return "the vault at \(p) still opens; restoring over it needs --force"
    case .vaultNotChecked(let p, let why):
      return "the vault at \(p) may still be sound (\(why)); restoring over it needs --force"
    }
  }

  public var exitCode: Int32 {
    switch self {
    case .notFound: return 66
    case .alreadyExists: return 73
    case .corrupt, .unsupportedVersion: return 65
    case .unlockFailed: return 77
    case .vaultStillOpens, .vaultNotChecked: return 64
    }
  }
}

public enum Backup {
  public static let magic: [UInt8] = Array("MFABACKP".utf8)
  /// The backup format version this build reads and writes.
  public static let version: UInt16 = 1
  /// magic 8, version 2, created 8, header_length 4.
  static let fixedLength = 22
  /// Names that `--dir` writes, `--keep` rotates and `list` shows: `mfactl-backup-*.mfab`.
  public static let namePrefix = "mfactl-backup-"
  public static let nameSuffix = ".mfab"

  /// Where checks put their scratch copies: `$TMPDIR`, else /tmp.
  public static var defaultScratchBase: String {
    if let t = getenv("TMPDIR"), t.pointee != 0 { return String(cString: t) }
    return "/tmp"
  }

  // MARK: Making a backup

  /// A backup built in memory.
  public struct Made {
    public let bytes: [UInt8]
    public let created: Int64
    public let vaultID: [UInt8]
    public let vaultSize: Int
    public let auditSize: Int
    public let recordCount: Int
    /// The backup has its own passphrase slot instead of the vault's key slots.
    public let separatePassphrase: Bool
  }

  /// Builds a backup of `vault`, which the caller opened with `key` and keeps open (its
  /// lock, shared is enough, makes the vault and its audit log a consistent pair).
  /// Every record is decrypted (`inspect`, by default `records(withPrefix: "")`, must
  /// read them all) and the audit chain verified first, so a damaged vault or log is
  /// reported (65) instead of saved. The audit file saved is the committed log: what
  /// `<vault>.audit` (or `.audit.next`, see FORMAT.md "Rewriting the log") holds up to
  /// the vault's audit head, without an uncommitted tail; none when there is no head.
  /// With `backupPassphrase`, the copied header's slots are replaced by one passphrase
  /// slot (Argon2id with `limits`) wrapping the same data key; that needs the data key,
  /// so `key` is unwrapped once more (one more Argon2id when it is a passphrase).
  public static func make(
    vault: VaultFile, key: UnlockKey, now: Int64, backupPassphrase: SecureBytes? = nil,
    limits: Sodium.PwhashLimits = .moderate, inspect: ((VaultFile) throws -> Void)? = nil
  ) throws -> Made {
    if let inspect = inspect {
      try inspect(vault)
    } else {
      var all = try vault.records(withPrefix: "")
      for i in all.indices { Sodium.wipe(&all[i].value) }
    }
    // The bytes on disk, under the same lock: check they are the vault just checked
    // (same header, index authentic under its key, same number of records).
    let map = try MappedFile(path: vault.path)
    defer { withExtendedLifetime(map) {} }  // `file` points into it
    let file = map.bytes
    let (header, headerLength) = try VaultHeader.decode(file)
    let indexKey = try vault.subkey(.indexMAC)
    guard header == vault.header, let layout = IndexLayout(file, headerLength: headerLength),
      layout.rootAuthenticates(key: indexKey, bytes: file), layout.count == vault.recordCount
    else {
      throw VaultError.io("\(vault.path) changed while mfactl held the lock; no backup written")
    }
    _ = try vault.auditRecords()  // the whole chain, against the head
    let audit = try vault.committedAuditLog() ?? []

    var headerAndChecksum = Array(file[0..<(headerLength + 32)])
    if let passphrase = backupPassphrase {
      let (dataKey, _) = try SlotCrypto.unwrap(key, header: header)
      var h = header
      h.slots = [
        try SlotCrypto.makeSlot(for: .passphrase(passphrase), dataKey: dataKey, vaultID: header.vaultID, limits: limits)
      ]
      headerAndChecksum = VaultFile.headerWithChecksum(h)
    }
    var w = ByteWriter(capacity: fixedLength + headerAndChecksum.count)
    w.raw(magic)
    w.u16(version)
    w.i64(now)
    w.u32(UInt32(headerAndChecksum.count - 32))
    w.raw(headerAndChecksum)
    let ad = w.bytes

    var payload = ByteWriter(capacity: 16 + file.count + audit.count)
    payload.u64(UInt64(file.count))
    payload.raw(file)
    payload.u64(UInt64(audit.count))
    payload.raw(audit)
    let sealed = Sodium.seal(payload.bytes, additionalData: ad, key: try vault.subkey(.backup))
    // audit: the caller records backup.created (see BackupCreate.swift).
    return Made(
      bytes: ad + sealed, created: now, vaultID: header.vaultID, vaultSize: file.count, auditSize: audit.count,
      recordCount: vault.recordCount, separatePassphrase: backupPassphrase != nil)
  }

  /// Writes a new file that must not exist: a temp file beside it (mode 0600, fsynced),
  /// `link(2)`ed to the name (so an existing file is never overwritten, 73, and a
  /// partial file is never visible), then the directory fsynced.
  public static func writeNew(_ bytes: [UInt8], to path: String) throws {
    // A killed `backup create` left its temp file: removed once its process is gone.
    let name = FileIO.fileName(of: path)
    FileIO.removeDeadWritersTempFiles(in: FileIO.directory(of: path)) { $0 == name || isBackupName($0) }
    let tmp = "\(path).tmp-\(getpid())-\(Sodium.randomHex(6))"
    let fd = Syscalls.open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      if errno == ENOENT { throw VaultError.io(FileIO.errnoText("cannot create", path)) }
      throw VaultError.io(FileIO.errnoText("cannot create", tmp))
    }
    defer { Syscalls.unlink(tmp) }
    do {
      try bytes.withUnsafeBytes { try FileIO.writeAll(fd, $0, path: tmp) }
      guard Syscalls.fsync(fd) == 0 else { throw VaultError.io(FileIO.errnoText("cannot sync", tmp)) }
    } catch {
      Syscalls.close(fd)
      throw error
    }
    Syscalls.close(fd)
    guard Syscalls.link(tmp, path) == 0 else {
      if errno == EEXIST { throw BackupError.alreadyExists(path) }
      throw VaultError.io(FileIO.errnoText("cannot create", path))
    }
    try FileIO.syncDirectory(of: path)
  }

  // MARK: Reading

  /// What the plaintext start of a backup says (no key needed).
  public struct Peek {
    public let created: Int64
    public let header: VaultHeader
    /// header || checksum, as stored.
    let headerAndChecksum: [UInt8]
    /// Where the sealed payload starts (everything before it is its associated data).
    let sealedAt: Int
  }

  /// Parses and checks the plaintext part: magic, version, header length, the header
  /// and its checksum. Any damage there is "corrupt" before a key is tried.
  static func parse(_ bytes: UnsafeRawBufferPointer, path: String) throws -> Peek {
    func corrupt(_ why: String) -> BackupError { .corrupt(path: path, reason: why) }
    guard bytes.count >= fixedLength, Array(bytes[0..<8]) == magic else {
      throw corrupt("not an mfactl backup: bad magic")
    }
    var r = ByteReader(bytes, offset: 8)
    let v = try r.u16()
    guard v >= 1 else { throw corrupt("format version 0") }
    guard v <= version else { throw BackupError.unsupportedVersion(path: path, version: v) }
    let created = try r.i64()
    let headerLength = Int(try r.u32())
    guard headerLength >= 39, headerLength <= VaultFormat.maxHeaderLength else { throw corrupt("bad header length") }
    let sealedAt = fixedLength + headerLength + 32
    // The payload holds at least the two lengths.
    guard bytes.count >= sealedAt + Sodium.aeadNonceLength + 16 + Sodium.aeadTagLength else {
      throw corrupt("truncated")
    }
    let header: VaultHeader
    let decodedLength: Int
    do {
      (header, decodedLength) = try VaultHeader.decode(UnsafeRawBufferPointer(rebasing: bytes[fixedLength..<sealedAt]))
    } catch let e as VaultError {
      switch e {
      case .corrupt(let why): throw corrupt("vault header: \(why)")
      case .unsupportedVersion(let hv): throw corrupt("vault header has format version \(hv)")
      default: throw e
      }
    }
    guard decodedLength == headerLength else { throw corrupt("header length does not match the header") }
    return Peek(
      created: created, header: header, headerAndChecksum: Array(bytes[fixedLength..<sealedAt]), sealedAt: sealedAt)
  }

  /// The plaintext start of the backup at `path`, without a key.
  public static func peek(path: String) throws -> Peek {
    let map = try mapBackup(path)
    return try withExtendedLifetime(map) { try parse(map.bytes, path: path) }
  }

  /// The `created` time of a file that starts like a backup (magic and version), from
  /// its first 18 bytes; nil for anything else. For rotation and listing.
  public static func createdTime(path: String) -> Int64? {
    // Not a symlink, and only a regular file: a FIFO in the directory is not waited on.
    var st = stat()
    guard Syscalls.lstat(path, &st) == 0, FileIO.nonRegularKind(st.st_mode) == nil,
      let fd = try? FileIO.openRegularFile(path)
    else { return nil }
    defer { Syscalls.close(fd) }
    var buf = [UInt8](repeating: 0, count: 18)
    let n = buf.withUnsafeMutableBytes { Syscalls.read(fd, $0.baseAddress, 18) }
    guard n == 18, Array(buf[0..<8]) == magic else { return nil }
    return buf.withUnsafeBytes { raw -> Int64? in
      var r = ByteReader(raw, offset: 8)
      guard let v = try? r.u16(), v >= 1, v <= version else { return nil }
      return try? r.i64()
    }
  }

  static func mapBackup(_ path: String) throws -> MappedFile {
    do {
      return try MappedFile(path: path)
    } catch VaultError.notFound {
      throw BackupError.notFound(path)
    }
  }

  /// The contents of a backup that passed every check.
  public struct Contents {
    public let path: String
    public let created: Int64
    public let size: Int
    /// The backup's header (the vault's, or the one with the backup passphrase slot).
    public let header: VaultHeader
    /// The header of the vault inside.
    public let vaultHeader: VaultHeader
    public let vaultBytes: [UInt8]
    /// Empty when the vault had no audit log.
    public let auditBytes: [UInt8]
    public let recordCount: Int
    /// The vault's data key, unwrapped from the backup's slots.
    let dataKey: SecureBytes
    /// The backup's key slots are not the vault's (a separate backup passphrase).
    public var separateKeySlots: Bool { header.slots != vaultHeader.slots }
  }

  /// Opens backups with one key, remembering the data key of each distinct header so
  /// that listing thirty backups of one vault costs one Argon2id, not thirty.
  public final class Opener {
    let key: UnlockKey
    /// Where checks make their scratch copies.
    let scratch: () throws -> ScratchDirectory
    private var dataKeys: [[UInt8]: SecureBytes] = [:]
    /// How many distinct headers were unlocked (each cost one unwrap).
    var unlockedHeaders: Int { dataKeys.count }

    public init(key: UnlockKey, scratchBase: String = Backup.defaultScratchBase) {
      self.key = key
      self.scratch = { try ScratchDirectory(base: scratchBase) }
    }

    /// Scratch copies beside the vault at `vaultPath` (`<vault>.tmp-<pid>-*`), so that
    /// a killed restore leaves nothing in `$TMPDIR` and the next writer removes them.
    public init(key: UnlockKey, scratchBeside vaultPath: String) {
      self.key = key
      let real = FileIO.resolvingSymlink(vaultPath)
      self.scratch = {
        // A restore to a new place: its directory does not exist yet.
        guard FileIO.exists(FileIO.directory(of: real)) else { return try ScratchDirectory(base: defaultScratchBase) }
        return try ScratchDirectory(beside: real)
      }
    }

    /// Headers the key did not open (not tried again).
    private var refused: Set<[UInt8]> = []

    func dataKey(_ peek: Peek, path: String) throws -> SecureBytes {
      if let k = dataKeys[peek.headerAndChecksum] { return k }
      let failure = BackupError.unlockFailed(
        path: path, passphraseOnly: peek.header.slots.allSatisfy { $0.kind == .passphrase })
      if refused.contains(peek.headerAndChecksum) { throw failure }
      do {
        let (k, _) = try SlotCrypto.unwrap(key, header: peek.header)
        dataKeys[peek.headerAndChecksum] = k
        return k
      } catch VaultError.unlockFailed {
        refused.insert(peek.headerAndChecksum)
        throw failure
      }
    }

    /// Decrypts the backup at `path` and checks it completely without touching any
    /// vault: the plaintext part, the payload's authenticity under K_backup, its
    /// layout, the vault inside (its header, its index rebuilt and compared byte for
    /// byte, every record decrypted in a scratch copy that `inspect` may read further,
    /// by default only decrypting) and the audit log inside (the whole chain, against
    /// the head in the vault inside, with nothing after the head).
    /// Corrupt or tampered: `.corrupt` (65); a key that opens no slot: `.unlockFailed` (77).
    public func verify(path: String, inspect: ((VaultFile) throws -> Void)? = nil) throws -> Contents {
      let map = try mapBackup(path)
      defer { withExtendedLifetime(map) {} }  // `bytes` points into it
      let bytes = map.bytes
      let peek = try parse(bytes, path: path)
      let dataKey = try dataKey(peek, path: path)
      func corrupt(_ why: String) -> BackupError { .corrupt(path: path, reason: why) }

      let backupKey = try Sodium.deriveSubkey(
        from: dataKey, id: Subkey.backup.rawValue, context: VaultFormat.kdfContext)
      var plain: [UInt8]
      do {
        plain = try Sodium.open(
          UnsafeRawBufferPointer(rebasing: bytes[peek.sealedAt...]),
          additionalData: Array(bytes[0..<peek.sealedAt]), key: backupKey)
      } catch {
        throw corrupt("authentication failed")
      }
      let (vaultBytes, auditBytes): ([UInt8], [UInt8])
      do {
        (vaultBytes, auditBytes) = try plain.withUnsafeBytes { raw -> ([UInt8], [UInt8]) in
          var r = ByteReader(raw)
          let vl = try r.u64()
          guard vl <= UInt64(r.remaining) else { throw DecodeError("vault length beyond the payload") }
          let v = try r.raw(Int(vl))
          let al = try r.u64()
          guard al <= UInt64(r.remaining) else { throw DecodeError("audit length beyond the payload") }
          let a = try r.raw(Int(al))
          try r.expectEnd()
          return (v, a)
        }
      } catch let e as DecodeError {
        throw corrupt("payload: \(e.reason)")
      }
      plain = []

      let (vaultHeader, count): (VaultHeader, Int)
      do {
        (vaultHeader, count) = try Backup.checkVault(
          vaultBytes, dataKey: dataKey, expecting: peek.header, audit: auditBytes, scratch: scratch,
          inspect: inspect)
      } catch let e as VaultError {
        switch e {
        case .corrupt(let why): throw corrupt("vault inside: \(why)")
        case .unsupportedVersion(let v): throw corrupt("vault inside has format version \(v)")
        case .unlockFailed, .badKeyFile: throw corrupt("vault inside does not open with the backup's data key")
        case .auditTampered, .unsupportedAuditVersion: throw corrupt("audit log inside: \(e.description)")
        default: throw e
        }
      } catch let e as DecodeError {
        throw corrupt("vault inside: \(e.reason)")
      }
      return Contents(
        path: path, created: peek.created, size: bytes.count, header: peek.header, vaultHeader: vaultHeader,
        vaultBytes: vaultBytes, auditBytes: auditBytes, recordCount: count, dataKey: dataKey)
    }
  }

  /// `Opener(key:).verify(path:)` for one backup.
  public static func verify(
    path: String, key: UnlockKey, scratchBase: String = defaultScratchBase, inspect: ((VaultFile) throws -> Void)? = nil
  ) throws -> Contents {
    try Opener(key: key, scratchBase: scratchBase).verify(path: path, inspect: inspect)
  }

  /// Checks the vault file `bytes` with its data key, as `vault check` would, without a
  /// key slot for it: the header (checksum, same vault id, creation time and version as
  /// `expecting`), the index (rebuilt from the entries with K_index and compared with
  /// the stored one byte for byte: root MAC, page MACs, record offsets), then a scratch
  /// copy whose only change is a key-file slot for a random key that lives in this
  /// process, opened as a vault so every page and record is checked, with `audit`
  /// beside it as its audit log, whose chain is then walked against the vault's head.
  static func checkVault(
    _ bytes: [UInt8], dataKey: SecureBytes, expecting: VaultHeader, audit: [UInt8],
    scratch: () throws -> ScratchDirectory,
    inspect: ((VaultFile) throws -> Void)?
  ) throws -> (VaultHeader, Int) {
    let (header, headerLength) = try bytes.withUnsafeBytes { try VaultHeader.decode($0) }
    guard header.vaultID == expecting.vaultID, header.createdAt == expecting.createdAt,
      header.version == expecting.version
    else { throw VaultError.corrupt("it is not the vault the backup header names") }
    guard let layout = IndexLayout(bytes, headerLength: headerLength) else {
      throw VaultError.corrupt("truncated index")
    }
    let indexKey = try Sodium.deriveSubkey(from: dataKey, id: Subkey.indexMAC.rawValue, context: VaultFormat.kdfContext)
    let entries = Array(bytes[layout.entriesStart..<layout.pageTableStart])
    let rebuilt = IndexLayout.build(
      headerAndChecksum: Array(bytes[0..<(headerLength + 32)]), entries: entries, key: indexKey)
    guard rebuilt.count == layout.recordsStart, rebuilt[...] == bytes[0..<layout.recordsStart] else {
      throw VaultError.corrupt("index authentication failed")
    }

    let dir = try scratch()
    defer { dir.remove() }
    let vault = try openScratchCopy(
      bytes, header: header, layout: layout, dataKey: dataKey, indexKey: indexKey, audit: audit, in: dir, mode: .shared)
    defer { vault.close() }
    if let inspect = inspect {
      try inspect(vault)
    } else {
      var all = try vault.records(withPrefix: "")
      for i in all.indices { Sodium.wipe(&all[i].value) }
    }
    // The same walk as `audit verify`. A backup holds the committed log only, so
    // anything after the head is not what `make` wrote.
    let (_, uncommitted) = try vault.auditRecords()
    let committed = try vault.committedAuditLog() ?? []
    guard uncommitted == 0, committed.count == audit.count else {
      throw VaultError.corrupt("the audit log inside goes on after the vault's audit head")
    }
    return (header, vault.recordCount)
  }

  /// The vault `bytes` (already checked) written to `dir` as `vault.mfa` with one
  /// change, a key-file slot for a random key that lives only in this process instead
  /// of its slots (the index rebuilt for the new header length), and `audit` beside it;
  /// opened. The records, their ids and the data key are the vault's.
  static func openScratchCopy(
    _ bytes: [UInt8], header: VaultHeader, layout: IndexLayout, dataKey: SecureBytes, indexKey: SecureBytes,
    audit: [UInt8], in dir: ScratchDirectory, mode: VaultLock.Mode
  ) throws -> VaultFile {
    let scratchKey = try SecureBytes.random(count: KeyFile.length)
    var scratchHeader = header
    scratchHeader.slots = [
      try SlotCrypto.makeSlot(for: .keyFile(scratchKey), dataKey: dataKey, vaultID: header.vaultID, limits: .minimum)
    ]
    let prefix = IndexLayout.build(
      headerAndChecksum: VaultFile.headerWithChecksum(scratchHeader),
      entries: Array(bytes[layout.entriesStart..<layout.pageTableStart]), key: indexKey)
    try dir.write("vault.mfa", prefix, bytes[layout.recordsStart...])
    if !audit.isEmpty { try dir.write("vault.mfa.audit", audit, []) }
    return try VaultFile(path: dir.path + "/vault.mfa", key: .keyFile(scratchKey), mode: mode, lockTimeout: 5)
  }

}

/// A private (0700) directory for scratch copies, removed with everything in it. Its
/// name carries the process id, so one left by a killed process is recognised and
/// removed by the next one (FileIO.removeDeadWritersScratch).
struct ScratchDirectory {
  let path: String

  /// `base/mfactl-check-<pid>-XXXXXX`, after removing those of dead processes there.
  init(base: String) throws {
    FileIO.removeDeadWritersScratch(in: base, prefix: "mfactl-check-")
    path = try Self.make("\(base)/mfactl-check-\(getpid())-", where: base)
  }

  /// `<vault>.tmp-<pid>-XXXXXX` beside the vault: a temp name of the vault's, which the
  /// next writer removes once this process is gone.
  init(beside vaultPath: String) throws {
    path = try Self.make("\(vaultPath).tmp-\(getpid())-", where: FileIO.directory(of: vaultPath))
  }

  private static func make(_ prefix: String, where dir: String) throws -> String {
    var template = Array("\(prefix)XXXXXX".utf8CString)
    guard let p = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
      throw VaultError.io(FileIO.errnoText("cannot create a scratch directory in", dir))
    }
    return String(cString: p)
  }

  /// Creates `name` holding `a || b` (not fsynced: scratch).
  func write(_ name: String, _ a: [UInt8], _ b: ArraySlice<UInt8>) throws {
    try b.withUnsafeBytes { try write(name, a, $0) }
  }

  func write(_ name: String, _ a: [UInt8], _ b: UnsafeRawBufferPointer) throws {
    let file = path + "/" + name
    let fd = Syscalls.open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw VaultError.io(FileIO.errnoText("cannot create", file)) }
    defer { Syscalls.close(fd) }
    try a.withUnsafeBytes { try FileIO.writeAll(fd, $0, path: file) }
    try FileIO.writeAll(fd, b, path: file)
  }

  func remove() { FileIO.removeScratchDirectory(path) }
}

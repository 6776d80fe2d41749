// Finding the file that holds the committed log, appending to it and rewriting it
// (docs/FORMAT.md, "Audit log": "Writing", "Rewriting the log").
import Sodium

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension AuditLog {
  // MARK: Locating and writing

  /// The file holding the committed log: `.audit`, or `.audit.next` when a rewrite
  /// (prune, rekey) was committed to the vault but its final rename did not happen.
  static func currentPath(vaultPath: String, head: Head?, vaultID: [UInt8]) -> String {
    let p = path(vaultPath)
    let n = nextPath(vaultPath)
    guard let head = head, FileIO.exists(n), !matches(p, head: head, vaultID: vaultID),
      matches(n, head: head, vaultID: vaultID)
    else { return p }
    return n
  }

  /// Before a write (exclusive lock): completes an interrupted rewrite's rename, or
  /// removes a rewritten log whose vault commit never happened.
  static func settle(vaultPath: String, head: Head?, vaultID: [UInt8]) throws {
    let p = path(vaultPath)
    let n = nextPath(vaultPath)
    guard FileIO.exists(n) else { return }
    guard let head = head, !matches(p, head: head, vaultID: vaultID) else {
      Syscalls.unlink(n)
      return
    }
    if matches(n, head: head, vaultID: vaultID) {
      guard Syscalls.rename(n, p) == 0 else { throw VaultError.io(FileIO.errnoText("cannot rename", n)) }
      try FileIO.syncDirectory(of: p)
    }
    // Neither matches: leave both for inspection; the write reports the damage.
  }

  /// An append, sealed and not written yet: `bytes` go at `offset` of the log, which
  /// then ends after them. A write in place puts them in its journal entry; a
  /// whole-file write writes them with `write(_:vaultPath:)` first.
  struct SealedAppend {
    var offset: Int
    /// The records, after a new header when the file is new or its creation was
    /// interrupted (`offset` 0).
    var bytes: [UInt8]
    /// The head after them, to be committed with the vault.
    var head: Head
    var fileExists: Bool
    /// Its length when sealed (an uncommitted tail, or the last commit's mark, follows
    /// `offset`).
    var fileLength: Int
    /// The file is new, or gets its header again: its directory entry must be synced.
    var syncsDirectory: Bool
  }

  /// Seals `plaintexts` after the committed head (an uncommitted tail is dropped when
  /// the bytes are written), reading the log but writing nothing. Refuses to append to
  /// a log that does not hold what the head says (missing, truncated, replaced).
  static func sealAppend(_ plaintexts: [[UInt8]], vaultPath: String, head: Head?, vaultID: [UInt8], key: SecureBytes)
    throws -> SealedAppend
  {
    let p = path(vaultPath)
    let fd = Syscalls.open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    if fd < 0 {
      guard errno == ENOENT else { throw VaultError.io(FileIO.errnoText("cannot open audit log", p)) }
      if let head = head {
        throw tampered(head.anchorSeq + 1, "the log file is missing; the vault's head says \(head.seq) records")
      }
    }
    defer { if fd >= 0 { Syscalls.close(fd) } }
    var size = 0
    if fd >= 0 {
      var st = stat()
      guard Syscalls.fstat(fd, &st) == 0 else { throw VaultError.io(FileIO.errnoText("cannot stat", p)) }
      size = Int(st.st_size)
    }

    var w = ByteWriter(capacity: 256 * plaintexts.count + headerLength)
    var end: Int
    var seq: UInt64
    var prev: [UInt8]
    var syncsDirectory = fd < 0
    if let head = head {
      guard matches(fd: fd, head: head, vaultID: vaultID) else {
        // Find and name the damage (slow path: it only runs on a damaged log).
        let map = try MappedFile(path: p)
        try verify(map.bytes, head: head, vaultID: vaultID, key: key) { _, _, _, plain in Sodium.wipe(&plain) }
        throw tampered(head.seq, "the log does not end with the record the vault's head names")
      }
      (end, seq, prev) = (Int(head.end), head.seq, head.tag)
    } else if size >= headerLength {
      // Records of interrupted writes only: keep the header, drop them.
      guard let h = preadExactly(fd, count: headerLength, at: 0) else {
        throw VaultError.io(FileIO.errnoText("cannot read", p))
      }
      let anchor = try h.withUnsafeBytes { try readHeader($0, vaultID: vaultID, firstBad: 1) }
      guard anchor.seq == 0, anchor.tag == zeroTag else {
        throw tampered(1, "the log starts after record \(anchor.seq), but the vault has no committed records")
      }
      (end, seq, prev) = (headerLength, 0, zeroTag)
    } else {
      // New, or its creation was interrupted.
      w.raw(header(vaultID: vaultID, anchorSeq: 0, anchorTag: zeroTag))
      (end, seq, prev) = (0, 0, zeroTag)
      syncsDirectory = true
    }
    for plain in plaintexts {
      seq += 1
      w.raw(sealRecord(plain, seq: seq, prevTag: prev, vaultID: vaultID, key: key))
      prev = Array(w.bytes[(w.bytes.count - tagLength)...])
    }
    let newHead = Head(
      seq: seq, tag: prev, end: UInt64(end + w.bytes.count), anchorSeq: head?.anchorSeq ?? 0,
      anchorTag: head?.anchorTag ?? zeroTag)
    return SealedAppend(
      offset: end, bytes: w.bytes, head: newHead, fileExists: fd >= 0, fileLength: size, syncsDirectory: syncsDirectory)
  }

  /// Writes a sealed append and fsyncs the log (and the directory when the file is new
  /// or got its header again); creates the file when it is missing.
  static func write(_ s: SealedAppend, vaultPath: String) throws {
    let p = path(vaultPath)
    let fd =
      s.fileExists
      ? Syscalls.open(p, O_RDWR | O_CLOEXEC | O_NOFOLLOW)
      : Syscalls.open(p, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard fd >= 0 else {
      throw VaultError.io(FileIO.errnoText(s.fileExists ? "cannot open audit log" : "cannot create audit log", p))
    }
    defer { Syscalls.close(fd) }
    var st = stat()
    guard Syscalls.fstat(fd, &st) == 0 else { throw VaultError.io(FileIO.errnoText("cannot stat", p)) }
    if Int(st.st_size) != s.offset {
      guard Syscalls.ftruncate(fd, off_t(s.offset)) == 0 else {
        throw VaultError.io(FileIO.errnoText("cannot truncate", p))
      }
    }
    try Journal.pwriteAll(fd, s.bytes, at: s.offset, path: p)
    guard Syscalls.fsync(fd) == 0 else { throw VaultError.io(FileIO.errnoText("cannot sync", p)) }
    if s.syncsDirectory { try FileIO.syncDirectory(of: p) }
  }

  /// Appends `plaintexts` after the committed head and fsyncs the log
  /// (`sealAppend`, then `write`). Returns the new head, to be committed with the vault.
  static func append(_ plaintexts: [[UInt8]], vaultPath: String, head: Head?, vaultID: [UInt8], key: SecureBytes)
    throws -> Head
  {
    let s = try sealAppend(plaintexts, vaultPath: vaultPath, head: head, vaultID: vaultID, key: key)
    try write(s, vaultPath: vaultPath)
    return s.head
  }

  /// A whole new log file, staged by a prune or a rekey.
  struct Rewrite {
    enum Body {
      /// Bytes [from, to) of the current log, copied as they are (they chain from the anchor).
      case copy(from: Int, to: Int)
      /// Records sealed again (under the key at commit time), chaining from the anchor.
      case reseal([AuditRecord])
    }
    /// The committed head when the rewrite was staged.
    var base: Head
    var anchorSeq: UInt64
    var anchorTag: [UInt8]
    var body: Body

    mutating func wipe() {
      if case .reseal(var records) = body {
        body = .copy(from: 0, to: 0)
        for i in records.indices {
          var p = records[i].plaintext
          records[i] = AuditRecord(seq: 0, plaintext: [])
          Sodium.wipe(&p)
        }
      }
    }
  }

  /// Writes the rewritten log as `.audit.next` (temp file, fsync, rename, directory
  /// fsync), with `plaintexts` appended. The caller commits the returned head with the
  /// vault, then renames `.audit.next` over `.audit` (`finish`).
  static func write(
    _ rw: Rewrite, appending plaintexts: [[UInt8]], vaultPath: String, vaultID: [UInt8], key: SecureBytes
  ) throws -> Head {
    let next = nextPath(vaultPath)
    // Named like the vault's temp files, so the next exclusive open removes it after a crash.
    let tmp = "\(vaultPath).tmp-\(getpid())-\(Sodium.randomHex(6)).audit"
    let fd = Syscalls.open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw VaultError.io(FileIO.errnoText("cannot create", tmp)) }
    var closed = false
    do {
      let out = AtomicOutput(fd: fd, path: tmp)
      var w = ByteWriter(capacity: 4096)
      w.raw(header(vaultID: vaultID, anchorSeq: rw.anchorSeq, anchorTag: rw.anchorTag))
      var length = 0
      var seq = rw.anchorSeq
      var prev = rw.anchorTag
      func flush() throws {
        try w.bytes.withUnsafeBytes { try out.write($0) }
        length += w.bytes.count
        w = ByteWriter(capacity: 4096)
      }
      func add(_ plain: [UInt8]) throws {
        seq += 1
        w.raw(sealRecord(plain, seq: seq, prevTag: prev, vaultID: vaultID, key: key))
        prev = Array(w.bytes[(w.bytes.count - tagLength)...])
        if w.bytes.count >= 1 << 16 { try flush() }
      }
      switch rw.body {
      case .copy(let from, let to):
        try flush()
        if to > from {
          let p = path(vaultPath)
          guard matches(p, head: rw.base, vaultID: vaultID) else {
            throw tampered(rw.base.seq, "the log changed while it was being pruned")
          }
          let source = try MappedFile(path: p)
          try out.copy(from: source, offset: from, length: to - from)
          length += to - from
        }
        seq = rw.base.seq
        prev = rw.base.tag
      case .reseal(let records):
        for r in records {
          precondition(r.seq == seq + 1)
          try add(r.plaintext)
        }
      }
      for plain in plaintexts { try add(plain) }
      try flush()
      guard Syscalls.fsync(fd) == 0 else { throw VaultError.io(FileIO.errnoText("cannot sync", tmp)) }
      Syscalls.close(fd)
      closed = true
      guard Syscalls.rename(tmp, next) == 0 else { throw VaultError.io(FileIO.errnoText("cannot rename", tmp)) }
      try FileIO.syncDirectory(of: next)
      return Head(seq: seq, tag: prev, end: UInt64(length), anchorSeq: rw.anchorSeq, anchorTag: rw.anchorTag)
    } catch {
      if !closed { Syscalls.close(fd) }
      Syscalls.unlink(tmp)
      throw error
    }
  }

  /// After the vault commit: the rewritten log becomes `.audit`. Best effort: if this
  /// does not happen, readers use `.audit.next` and the next writer renames it.
  static func finish(vaultPath: String) {
    if Syscalls.rename(nextPath(vaultPath), path(vaultPath)) == 0 { try? FileIO.syncDirectory(of: path(vaultPath)) }
  }
}

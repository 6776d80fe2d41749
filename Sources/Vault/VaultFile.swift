// An open, unlocked vault: an encrypted key-value store of records. The domain decides
// what the records mean; this file only guarantees that they are confidential,
// authenticated as a whole, and replaced atomically. Layout in docs/FORMAT.md.
import Sodium

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

public final class VaultFile {
  public let path: String
  public private(set) var header: VaultHeader
  /// Which slot the key given to `open` unlocked.
  public let unlockedSlot: Int

  private let lock: VaultLock
  private let map: MappedFile
  /// What `reopenForWriting` needs to open the vault again: the key it was unlocked
  /// with, the header bytes that key was tried against and what it unwrapped there.
  private let unlockKey: UnlockKey
  private let unlockedHeader: [UInt8]
  private let lockTimeout: Double
  /// The data-key subkey that authenticates the in-place write journal.
  private var journalKey: SecureBytes
  private var dataKey: SecureBytes
  private var recordKey: SecureBytes
  private var lookupKey: SecureBytes
  private var headerChanged = false

  // The index as it is on disk (inside `map`), see Index.swift.
  private let layout: IndexLayout
  private var count: Int { layout.count }
  private var recordsStart: Int { layout.recordsStart }
  private var indexKey: SecureBytes
  /// Pages whose MAC and structure have been checked.
  private var verifiedPages: [Bool]

  /// Staged changes by lookup id: a new plaintext value, or nil for removal.
  /// Keyed by the id in hex: String keys share one conformance lookup with the rest of
  /// the program, where `[UInt8]` keys cost a scan of every conformance record in the
  /// binary on first use (~0.5M instructions on the verify path; bench/README.md).
  private var changes: [String: (id: [UInt8], key: String, value: [UInt8]?)] = [:]

  static let entryLength = IndexLayout.entryLength
  static let macLength = IndexLayout.macLength

  // MARK: Opening

  /// Opens and unlocks the vault at `path`. The lock is held until the object goes away
  /// (or `close()`), so a read-modify-write is one critical section.
  public convenience init(path: String, key: UnlockKey, mode: VaultLock.Mode, lockTimeout: Double) throws {
    try self.init(path: path, key: key, mode: mode, lockTimeout: lockTimeout, known: nil)
  }

  /// `known`: a header (its bytes) and what `key` unwrapped from it, from an earlier open
  /// of this vault. Unwrapping is a function of the key and the header alone, so when
  /// the header is still byte for byte the same, the result is reused (no second
  /// Argon2id for a passphrase); any change to the slots goes through `unwrap` again.
  private init(
    path: String, key: UnlockKey, mode: VaultLock.Mode, lockTimeout: Double,
    known: (header: [UInt8], dataKey: SecureBytes, slot: Int)?
  ) throws {
    let real = FileIO.resolvingSymlink(path)
    self.path = real
    unlockKey = key
    self.lockTimeout = lockTimeout
    lock = try VaultLock(vaultPath: real, mode: mode, timeout: lockTimeout)
    // A restore that committed but was not finished (RestoreIntent.swift) is finished
    // before anything is read; one stat(2) on every open. A reader takes the exclusive
    // lock for the moment.
    if RestoreIntent.isPending(real) {
      try lock.withExclusive(timeout: lockTimeout) { try RestoreIntent.finish(vaultPath: real) }
    }
    var map = try MappedFile(path: real)
    if mode == .exclusive { FileIO.removeStaleTempFiles(for: real) }
    var (header, headerLength) = try VaultHeader.decode(map.bytes)

    let headerBytes = Array(map.bytes[0..<headerLength])
    unlockedHeader = headerBytes
    let (dk, slot) =
      if let known = known, known.header == headerBytes { (known.dataKey, known.slot) } else {
        try SlotCrypto.unwrap(key, header: header)
      }
    dataKey = dk
    unlockedSlot = slot
    recordKey = try Sodium.deriveSubkey(from: dk, id: Subkey.recordEncryption.rawValue, context: VaultFormat.kdfContext)
    lookupKey = try Sodium.deriveSubkey(from: dk, id: Subkey.recordLookup.rawValue, context: VaultFormat.kdfContext)
    let journalKey = try Sodium.deriveSubkey(from: dk, id: Subkey.journal.rawValue, context: VaultFormat.kdfContext)
    self.journalKey = journalKey
    let macKey = try Sodium.deriveSubkey(from: dk, id: Subkey.indexMAC.rawValue, context: VaultFormat.kdfContext)

    // A writer that died during an in-place update leaves a journal (Journal.swift),
    // so every open costs one stat(2) of `<vault>.journal`.
    // Recovery needs the exclusive lock; a reader takes it for the moment.
    if Journal.hasContent(vaultPath: real) {
      let lock = self.lock
      try lock.withExclusive(timeout: lockTimeout) {
        // A reader's lock conversion is not atomic: another process may have recovered
        // (or written) in between, so look at the file afresh.
        map = try MappedFile(path: real)
        (header, headerLength) = try VaultHeader.decode(map.bytes)
        if try Journal.recover(
          vaultPath: real, map: map, headerLength: headerLength, macKey: macKey, journalKey: journalKey,
          vaultID: header.vaultID)
        {
          map = try MappedFile(path: real)
          (header, headerLength) = try VaultHeader.decode(map.bytes)
        }
      }
    }
    self.map = map
    self.header = header
    let file = map.bytes

    // The index root: count, page table, root MAC (Index.swift). Pages are checked
    // when first used; the last one now, because it fixes where the file must end.
    guard let layout = IndexLayout(file, headerLength: headerLength) else {
      throw VaultError.corrupt("truncated index")
    }
    self.layout = layout
    indexKey = macKey
    verifiedPages = [Bool](repeating: false, count: layout.pages)
    guard layout.rootAuthenticates(key: macKey, bytes: file) else {
      throw VaultError.corrupt("index authentication failed")
    }
    let base = file.baseAddress!
    for p in 0..<layout.pages {
      let at = base + layout.pageEntryAt(p)
      if p > 0 && memcmp(at - IndexLayout.pageTableEntryLength, at, 16) >= 0 {
        throw VaultError.corrupt("page table is not sorted")
      }
      let offset = pageOffset(p)
      let previous = p == 0 ? layout.recordsStart : pageOffset(p - 1) + 1
      guard offset >= previous, offset <= file.count else { throw VaultError.corrupt("bad page offset") }
    }
    if layout.pages > 0 {
      try verifyPage(layout.pages - 1)
    } else {
      guard layout.recordsStart == file.count else { throw VaultError.corrupt("file length does not match index") }
    }

    // A vault file put back to an older copy: its log holds commits it does not know
    // (docs/FORMAT.md, "Commit mark"). Checked on every open, readers included.
    try AuditLog.checkRollback(
      vaultPath: real, vaultID: header.vaultID, head: { try self.committedAuditHead() }, key: { try self.subkey(.audit) })
  }

  /// Creates a new vault at `path` (never over an existing file), with one slot per key.
  public static func create(
    path: String, keys: [UnlockKey], limits: Sodium.PwhashLimits, now: Int64, lockTimeout: Double
  ) throws {
    precondition(!keys.isEmpty, "a vault needs at least one key slot")
    try FileIO.makeDirectories(FileIO.directory(of: path))
    let lock = try VaultLock(vaultPath: path, mode: .exclusive, timeout: lockTimeout)
    defer { lock.release() }
    // A committed restore into an empty place is a vault already (RestoreIntent.swift).
    if RestoreIntent.isPending(path) { try RestoreIntent.finish(vaultPath: path) }
    if FileIO.exists(path) { throw VaultError.alreadyExists(path) }
    let dataKey = try SecureBytes.random(count: 32)
    let vaultID = Sodium.randomBytes(16)
    var header = VaultHeader(version: VaultFormat.version, vaultID: vaultID, createdAt: now, slots: [])
    for k in keys {
      header.slots.append(try SlotCrypto.makeSlot(for: k, dataKey: dataKey, vaultID: vaultID, limits: limits))
    }
    let macKey = try Sodium.deriveSubkey(from: dataKey, id: Subkey.indexMAC.rawValue, context: VaultFormat.kdfContext)
    let prefix = IndexLayout.build(headerAndChecksum: headerWithChecksum(header), entries: [], key: macKey)
    // Write a temp file and link(2) it into place: atomic, and fails if the vault
    // appeared meanwhile (O_EXCL semantics without ever exposing a partial vault).
    let tmp = "\(path).tmp-\(getpid())-\(Sodium.randomHex(6))"
    try FileIO.createExclusive(tmp, contents: prefix)
    defer { unlink(tmp) }
    guard link(tmp, path) == 0 else {
      if errno == EEXIST { throw VaultError.alreadyExists(path) }
      throw VaultError.io(FileIO.errnoText("cannot create", path))
    }
    try FileIO.syncDirectory(of: path)
  }

  /// Reads the header without a key (for `vault info`), under a shared lock.
  public static func readHeader(path: String, lockTimeout: Double) throws -> (VaultHeader, fileSize: Int) {
    let real = FileIO.resolvingSymlink(path)
    guard FileIO.exists(real) else { throw VaultError.notFound(path) }
    let lock = try VaultLock(vaultPath: real, mode: .shared, timeout: lockTimeout)
    defer { lock.release() }
    if RestoreIntent.isPending(real) {
      try lock.withExclusive(timeout: lockTimeout) { try RestoreIntent.finish(vaultPath: real) }
    }
    let map = try MappedFile(path: real)
    let (h, _) = try VaultHeader.decode(map.bytes)
    return (h, map.bytes.count)
  }

  /// Releases the lock early (the vault must not be used afterwards).
  public func close() { lock.release() }

  /// Whether this vault was opened for a read-modify-write (can `commit`).
  public var isWritable: Bool { lock.mode == .exclusive }

  /// The vault opened again, under the exclusive lock, read afresh: for a reader that
  /// found it has something to write after all (a `sessions check` refreshing an idle
  /// time). flock(2) cannot turn a shared lock into an exclusive one atomically, so this
  /// one is released first and anything read through it may be out of date: the caller
  /// reads again through the new vault. This vault must not be used afterwards.
  public func reopenForWriting() throws -> VaultFile {
    precondition(!stale, "vault used after commit")
    stale = true
    lock.release()
    return try VaultFile(
      path: path, key: unlockKey, mode: .exclusive, lockTimeout: lockTimeout,
      known: (unlockedHeader, dataKey, unlockedSlot))
  }

  // MARK: Records

  public var recordCount: Int { count }

  private func entryID(_ i: Int) -> UnsafeRawBufferPointer {
    let at = layout.entryAt(i)
    return UnsafeRawBufferPointer(rebasing: map.bytes[at..<(at + 16)])
  }

  private func entryLength(_ i: Int) -> Int {
    Int(UInt32(littleEndian: map.bytes.loadUnaligned(fromByteOffset: layout.entryAt(i) + 16, as: UInt32.self)))
  }

  private func pageFirstID(_ p: Int) -> UnsafeRawBufferPointer {
    let at = layout.pageEntryAt(p)
    return UnsafeRawBufferPointer(rebasing: map.bytes[at..<(at + 16)])
  }

  /// Clamped: an offset above Int.max (found by fuzzing, docs/fuzzing.md) is then
  /// refused as past the end of the file instead of trapping in the conversion.
  private func pageOffset(_ p: Int) -> Int {
    Int(clamping: UInt64(littleEndian: map.bytes.loadUnaligned(fromByteOffset: layout.pageEntryAt(p) + 16, as: UInt64.self)))
  }

  /// Checks a page against its MAC in the (authenticated) page table, and its shape:
  /// ids sorted and starting with the table's first id, sane lengths that tile the
  /// records from the page's offset to the next page's (or the end of the file).
  private func verifyPage(_ p: Int) throws {
    if verifiedPages[p] { return }
    let range = layout.pageRange(p)
    let bytes = UnsafeRawBufferPointer(rebasing: map.bytes[layout.entryAt(range.lowerBound)..<layout.entryAt(range.upperBound)])
    let mac = IndexLayout.pageMAC(key: indexKey, page: p, entries: bytes)
    let macAt = layout.pageMACAt(p)
    guard Sodium.constantTimeEqual(mac, Array(map.bytes[macAt..<(macAt + 32)])) else {
      throw VaultError.corrupt("index page \(p) authentication failed")
    }
    guard memcmp(entryID(range.lowerBound).baseAddress!, pageFirstID(p).baseAddress!, 16) == 0 else {
      throw VaultError.corrupt("index page \(p) does not start with its first id")
    }
    var end = pageOffset(p)
    for i in range {
      if i > range.lowerBound && memcmp(entryID(i - 1).baseAddress!, entryID(i).baseAddress!, 16) >= 0 {
        throw VaultError.corrupt("index is not sorted")
      }
      let len = entryLength(i)
      guard len >= Sodium.aeadNonceLength + Sodium.aeadTagLength + 6, len <= VaultFormat.maxRecordLength else {
        throw VaultError.corrupt("bad record length")
      }
      end += len
    }
    let expectedEnd = p + 1 < layout.pages ? pageOffset(p + 1) : map.bytes.count
    guard end == expectedEnd else { throw VaultError.corrupt("records do not match the index") }
    verifiedPages[p] = true
  }

  /// Where record `i` starts (`count`: the end of the file). Checks its page.
  private func recordOffset(_ i: Int) throws -> Int {
    if i == count { return map.bytes.count }
    let p = i / IndexLayout.pageEntries
    try verifyPage(p)
    var offset = pageOffset(p)
    for j in (p * IndexLayout.pageEntries)..<i { offset += entryLength(j) }
    return offset
  }

  /// The first index position whose id is not below `id`, and whether the id is there.
  /// Searches the page table, then the one page that can hold the id (checked).
  private func lowerBound(_ id: [UInt8]) throws -> (Int, Bool) {
    var lo = 0
    var hi = layout.pages
    while lo < hi {  // the first page whose first id is above `id`
      let mid = (lo + hi) / 2
      let c = id.withUnsafeBytes { memcmp(pageFirstID(mid).baseAddress!, $0.baseAddress!, 16) }
      if c <= 0 { lo = mid + 1 } else { hi = mid }
    }
    if lo == 0 { return (0, false) }  // below every id
    let p = lo - 1
    try verifyPage(p)
    let range = layout.pageRange(p)
    lo = range.lowerBound
    hi = range.upperBound
    while lo < hi {
      let mid = (lo + hi) / 2
      let c = id.withUnsafeBytes { memcmp(entryID(mid).baseAddress!, $0.baseAddress!, 16) }
      if c < 0 { lo = mid + 1 } else { hi = mid }
    }
    let found = lo < range.upperBound && id.withUnsafeBytes { memcmp(entryID(lo).baseAddress!, $0.baseAddress!, 16) } == 0
    return (lo, found)
  }

  /// The lookup id of a logical key: keyed BLAKE2b-128, so names are not stored in clear.
  public func lookupID(_ key: String) -> [UInt8] {
    Sodium.blake2b(Array(key.utf8), key: lookupKey, length: 16)
  }

  private func find(_ id: [UInt8]) throws -> Int? {
    let (i, found) = try lowerBound(id)
    return found ? i : nil
  }

  private func recordAD(_ id: [UInt8]) -> [UInt8] { header.vaultID + id }

  private func openRecord(at i: Int, offset: Int) throws -> (key: String, value: [UInt8]) {
    let len = entryLength(i)
    let sealed = UnsafeRawBufferPointer(rebasing: map.bytes[offset..<(offset + len)])
    let id = Array(entryID(i))
    var plain: [UInt8]
    do {
      plain = try Sodium.open(sealed, additionalData: recordAD(id), key: recordKey)
    } catch {
      throw VaultError.corrupt("record authentication failed")
    }
    // The index MAC covers each record's tag; check the tag matches what the index says.
    let tagAt = layout.tagAt(i)
    guard Array(map.bytes[tagAt..<(tagAt + 16)]) == Array(sealed[(len - 16)..<len]) else {
      Sodium.wipe(&plain)
      throw VaultError.corrupt("record does not match index")
    }
    return try Self.splitPlain(&plain)
  }

  /// Record plaintext: key length (u16), key, value length (u32), value, then zeros up to
  /// a multiple of `recordPadding` bytes, so that small changes (a counter, a timestamp
  /// appearing) keep the sealed length and can be written in place.
  static let recordPadding = 64

  static func recordPlaintext(key: String, value: [UInt8]) -> [UInt8] {
    let keyBytes = Array(key.utf8)
    let used = 2 + keyBytes.count + 4 + value.count
    let total = (used + recordPadding - 1) / recordPadding * recordPadding
    var plain = [UInt8]()
    plain.reserveCapacity(total)
    plain.append(UInt8(truncatingIfNeeded: keyBytes.count))
    plain.append(UInt8(truncatingIfNeeded: keyBytes.count >> 8))
    plain += keyBytes
    for i in 0..<4 { plain.append(UInt8(truncatingIfNeeded: value.count >> (8 * i))) }
    plain += value
    plain += [UInt8](repeating: 0, count: total - used)
    return plain
  }

  private static func splitPlain(_ plain: inout [UInt8]) throws -> (key: String, value: [UInt8]) {
    defer { Sodium.wipe(&plain) }
    guard plain.count >= 6 else { throw VaultError.corrupt("short record") }
    let n = Int(plain[0]) | Int(plain[1]) << 8
    guard plain.count >= 6 + n, let key = String(validating: plain[2..<(2 + n)], as: UTF8.self) else {
      throw VaultError.corrupt("bad record key")
    }
    var m = 0
    for i in 0..<4 { m |= Int(plain[2 + n + i]) << (8 * i) }
    let start = 6 + n
    guard m <= plain.count - start, plain[(start + m)...].allSatisfy({ $0 == 0 }) else {
      throw VaultError.corrupt("bad record length or padding")
    }
    return (key, Array(plain[start..<(start + m)]))
  }

  /// The value stored under `key` (staged changes included), or nil.
  public func get(_ key: String) throws -> [UInt8]? {
    precondition(!stale, "vault used after commit")
    let id = lookupID(key)
    if let change = changes[Sodium.hex(id)] { return change.value }
    guard let i = try find(id) else { return nil }
    let rec = try openRecord(at: i, offset: try recordOffset(i))
    guard rec.key == key else { throw VaultError.corrupt("record key mismatch") }
    return rec.value
  }

  public func contains(_ key: String) throws -> Bool {
    let id = lookupID(key)
    if let change = changes[Sodium.hex(id)] { return change.value != nil }
    return try find(id) != nil
  }

  /// Stages a new value; nothing reaches the disk before `commit()`.
  public func put(_ key: String, _ value: [UInt8]) {
    precondition(key.utf8.count <= 0xFFFF)
    let id = lookupID(key)
    changes[Sodium.hex(id)] = (id, key, value)
  }

  public func remove(_ key: String) {
    let id = lookupID(key)
    changes[Sodium.hex(id)] = (id, key, nil)
  }

  /// Every record whose key starts with `prefix`, decrypted (staged changes included),
  /// in no particular order. Costs one decryption per record in the vault.
  public func records(withPrefix prefix: String) throws -> [(key: String, value: [UInt8])] {
    var out: [(key: String, value: [UInt8])] = []
    var offset = recordsStart
    for i in 0..<count {
      if i % IndexLayout.pageEntries == 0 { try verifyPage(i / IndexLayout.pageEntries) }
      let len = entryLength(i)
      defer { offset += len }
      if !changes.isEmpty && changes[Sodium.hex(Array(entryID(i)))] != nil { continue }
      let rec = try openRecord(at: i, offset: offset)
      if rec.key.hasPrefix(prefix) { out.append(rec) }
    }
    for (_, change) in changes where change.key.hasPrefix(prefix) {
      if let v = change.value { out.append((change.key, v)) }
    }
    return out
  }

  /// A key for the domain (token hashes, recovery codes, audit...). The keys of stored
  /// keyed hashes (recovery codes, tokens, challenges) come from the `keys/hashing`
  /// record when the vault has one (written by the first rekey, HashingKeys.swift),
  /// else, like every other subkey, from the data key.
  public func subkey(_ id: Subkey) throws -> SecureBytes {
    if HashingKeys.index(of: id) != nil { return try loadHashingKeys().key(id) }
    return try Sodium.deriveSubkey(from: dataKey, id: id.rawValue, context: VaultFormat.kdfContext)
  }

  /// The hashing keys, read (or derived) once per open.
  private var hashingKeys: HashingKeys? = nil

  private func loadHashingKeys() throws -> HashingKeys {
    if let k = hashingKeys { return k }
    let k: HashingKeys
    if var value = try get(HashingKeys.recordKey) {
      defer { Sodium.wipe(&value) }
      k = try HashingKeys.decode(value)
    } else {
      k = try HashingKeys.derived(from: dataKey)
    }
    hashingKeys = k
    return k
  }

  public var hasChanges: Bool { !changes.isEmpty || headerChanged || !auditAppends.isEmpty || auditRewrite != nil }

  // MARK: Writing

  static func headerWithChecksum(_ header: VaultHeader) -> [UInt8] {
    let h = header.encode()
    return h + Sodium.blake2b(h, length: 32)
  }

  /// Writes the staged changes atomically (temp file, fsync, rename, fsync directory),
  /// then releases the lock: a committed VaultFile must not be used again.
  /// Unchanged records are copied as they are, so a write costs one seal per changed
  /// record plus a sequential copy. Requires the exclusive lock.
  public func commit() throws {
    guard hasChanges else { return }
    precondition(!stale, "vault committed twice")
    precondition(lock.mode == .exclusive, "commit needs the exclusive lock")
    // An older format is upgraded by the first write (docs/FORMAT.md, "Version
    // history"): the header says the version this build writes.
    if header.version < VaultFormat.version {
      header.version = VaultFormat.version
      headerChanged = true
    }
    defer {
      // The map still shows the old bytes: this object is done, and so is the
      // critical section.
      changes.removeAll()
      headerChanged = false
      for i in auditAppends.indices { Sodium.wipe(&auditAppends[i]) }
      auditAppends.removeAll()
      auditRewrite?.wipe()
      auditRewrite = nil
      stale = true
      lock.release()
    }
    // Refuse to write over a vault replaced behind the lock's back (by a tool that did
    // not take the lock): we would silently drop its change.
    var st = stat()
    guard stat(path, &st) == 0, UInt64(st.st_dev) == map.device, UInt64(st.st_ino) == map.inode else {
      throw VaultError.io("\(path) was replaced by another program while mfactl held the lock; nothing written")
    }

    // The audit records first (durable before the head that commits them is staged),
    // then the vault with the new head (docs/FORMAT.md, "Audit log").
    var auditRenamePending = false
    if !auditAppends.isEmpty || auditRewrite != nil {
      auditRenamePending = try writeAudit()
      if testAuditCrash == .afterAuditWrite { return }
    }
    func finishAudit() {
      if auditRenamePending && testAuditCrash != .beforeFinalRename { AuditLog.finish(vaultPath: path) }
      // The vault commit is durable: mark the log's new head as committed.
      if marksCommits, let head = stagedAuditHead, testAuditCrash != .beforeMark, let key = try? subkey(.audit) {
        AuditLog.writeMark(vaultPath: path, head: head, vaultID: header.vaultID, key: key)
      }
    }

    if let plan = try inPlacePlan() {
      try Journal.apply(plan, vaultPath: path, journalKey: journalKey, vaultID: header.vaultID, stopAfter: testStopAfter)
      if testStopAfter == nil { finishAudit() }
      return
    }

    // The new file is the old one with a few entries replaced, inserted or removed:
    // runs of old index entries and old records are copied whole, and only the
    // changed records are sealed. Each changed id is placed by binary search, so the
    // work per write is O(k log n) plus the copying.
    enum Piece {
      case old(from: Int, to: Int)  // old index positions [from, to)
      case new(id: [UInt8], sealed: [UInt8])
    }
    var pieces: [Piece] = []
    var position = 0
    // Hex of fixed-length ids sorts as the ids do.
    for (_, change) in changes.sorted(by: { $0.key < $1.key }) {
      let id = change.id
      var sealed: [UInt8]? = nil
      if let value = change.value { sealed = sealRecord(id: id, key: change.key, value: value) }
      if rekeyDropsOld {
        if let sealed = sealed { pieces.append(.new(id: id, sealed: sealed)) }
        continue
      }
      let (at, found) = try lowerBound(id)
      if at > position { pieces.append(.old(from: position, to: at)) }
      if let sealed = sealed { pieces.append(.new(id: id, sealed: sealed)) }
      position = found ? at + 1 : at
    }
    if !rekeyDropsOld && position < count { pieces.append(.old(from: position, to: count)) }

    var newCount = 0
    for p in pieces {
      switch p {
      case .old(let from, let to): newCount += to - from
      case .new: newCount += 1
      }
    }
    guard newCount <= VaultFormat.maxRecords else { throw VaultError.invalid("too many records") }
    var w = ByteWriter(capacity: newCount * Self.entryLength)
    var runs: [(from: Int, to: Int)] = []  // old record byte ranges, checked
    for p in pieces {
      switch p {
      case .old(let from, let to):
        let a = layout.entryAt(from)
        w.raw(UnsafeRawBufferPointer(rebasing: map.bytes[a..<layout.entryAt(to)]))
        runs.append((try recordOffset(from), try recordOffset(to)))
      case .new(let id, let sealed):
        w.raw(id)
        w.u32(UInt32(sealed.count))
        w.raw(Array(sealed[(sealed.count - 16)...]))
      }
    }
    let prefix = IndexLayout.build(headerAndChecksum: Self.headerWithChecksum(header), entries: w.bytes, key: indexKey)

    try FileIO.replaceAtomically(path) { out in
      try prefix.withUnsafeBytes { try out.write($0) }
      var run = 0
      for p in pieces {
        switch p {
        case .old:
          let r = runs[run]
          run += 1
          try out.copy(from: map, offset: r.from, length: r.to - r.from)
        case .new(_, let sealed):
          try sealed.withUnsafeBytes { try out.write($0) }
        }
      }
    }
    Journal.clear(vaultPath: path)
    finishAudit()
  }

  /// Set after a commit: the mapped bytes are the old file, so further use is a bug.
  private var stale = false

  /// Whether a commit that logs writes the commit mark after the log's new head. Off
  /// for scratch copies whose log is taken as a whole (a restore's), so it ends at the
  /// head like a backup's.
  var marksCommits = true

  /// Tests only: leave an in-place write as a crash at that point would.
  var testStopAfter: Journal.Stage? = nil
  /// Tests only: stop a commit that writes the audit log as a crash at that point would.
  var testAuditCrash: AuditLog.CrashPoint? = nil

  private func sealRecord(id: [UInt8], key: String, value: [UInt8]) -> [UInt8] {
    var plain = Self.recordPlaintext(key: key, value: value)
    defer { Sodium.wipe(&plain) }
    return Sodium.seal(plain, additionalData: recordAD(id), key: recordKey)
  }

  /// When every change replaces an existing record by one of the same sealed length
  /// (the common case: a verify updates counters and timestamps), the write can patch
  /// the file in place: each record, its tag in the index and the index MAC. Returns
  /// nil when a whole-file rewrite is needed.
  private func inPlacePlan() throws -> Journal.Plan? {
    guard !headerChanged, !rekeyDropsOld else { return nil }
    var patches: [(position: Int, sealed: [UInt8])] = []  // a list, not [Int: ...]: see `changes`
    for (_, change) in changes {
      guard let value = change.value, let i = try find(change.id) else { return nil }
      let sealed = sealRecord(id: change.id, key: change.key, value: value)
      guard sealed.count == entryLength(i) else { return nil }
      patches.append((i, sealed))
    }
    var regions: [Journal.Region] = []
    // Each touched page gets its new tags and a new MAC; the root MAC covers the page
    // table with those MACs.
    var table = Array(map.bytes[layout.pageTableStart..<layout.rootAt])
    patches.sort { $0.position < $1.position }
    var touchedPages: [Int] = []
    for p in patches where touchedPages.last != p.position / IndexLayout.pageEntries {
      touchedPages.append(p.position / IndexLayout.pageEntries)
    }
    for p in touchedPages {
      let range = layout.pageRange(p)
      var page = Array(map.bytes[layout.entryAt(range.lowerBound)..<layout.entryAt(range.upperBound)])
      for (i, sealed) in patches where range.contains(i) {
        let tag = Array(sealed[(sealed.count - 16)...])
        let at = (i - range.lowerBound) * Self.entryLength + 20
        page.replaceSubrange(at..<(at + 16), with: tag)
        regions.append(.init(offset: try recordOffset(i), bytes: sealed))
        regions.append(.init(offset: layout.tagAt(i), bytes: tag))
      }
      let mac = page.withUnsafeBytes { IndexLayout.pageMAC(key: indexKey, page: p, entries: $0) }
      let at = p * IndexLayout.pageTableEntryLength + 24
      table.replaceSubrange(at..<(at + 32), with: mac)
      regions.append(.init(offset: layout.pageMACAt(p), bytes: mac))
    }
    let root = Sodium.Blake2bState(key: indexKey, length: Self.macLength)
    root.update(UnsafeRawBufferPointer(rebasing: map.bytes[0..<layout.entriesStart]))
    root.update(table)
    let newMAC = root.finish()
    regions.append(.init(offset: layout.rootAt, bytes: newMAC))
    return Journal.Plan(oldMAC: Array(map.bytes[layout.rootAt..<recordsStart]), newMAC: newMAC, regions: regions)
  }

  // MARK: Audit log (AuditLog.swift; docs/FORMAT.md, "Audit log")

  /// Audit plaintexts staged for the next commit, in order.
  private var auditAppends: [[UInt8]] = []
  /// A whole new log file staged by a prune or a rekey.
  private var auditRewrite: AuditLog.Rewrite? = nil

  /// The largest audit plaintext a record holds (1 MiB minus nonce and tag).
  public static let maxAuditRecordLength = AuditLog.maxPlaintextLength

  /// Where the audit log of the vault at `vaultPath` lives.
  public static func auditPath(forVault vaultPath: String) -> String { AuditLog.path(vaultPath) }

  /// Stages an audit record (opaque bytes, 1 to `maxAuditRecordLength`; a longer or
  /// empty one makes `commit` throw `.invalid` before anything is written). Like `put`,
  /// nothing reaches the disk before `commit()`, which runs even when no vault record
  /// changed.
  public func appendAudit(_ plaintext: [UInt8]) {
    auditAppends.append(plaintext)
  }

  /// The committed head stored in the vault: the last record's sequence number and tag,
  /// and the log file's length after it. Nil when nothing was ever logged.
  public func auditHead() throws -> (seq: UInt64, tag: [UInt8], end: UInt64)? {
    try committedAuditHead().map { ($0.seq, $0.tag, $0.end) }
  }

  func committedAuditHead() throws -> AuditLog.Head? {
    precondition(!rekeyDropsOld, "the audit head is not readable between rekey and commit")
    if let cached = cachedAuditHead { return cached }
    let id = lookupID(AuditLog.headKey)
    guard let i = try find(id) else {
      cachedAuditHead = .some(nil)
      return nil
    }
    let rec = try openRecord(at: i, offset: try recordOffset(i))
    guard rec.key == AuditLog.headKey else { throw VaultError.corrupt("record key mismatch") }
    let head = try AuditLog.Head.decode(rec.value)
    cachedAuditHead = .some(head)
    return head
  }

  /// The head on disk, read once (by the open): it cannot change while the lock is held.
  private var cachedAuditHead: AuditLog.Head?? = nil
  /// The head this commit staged, for the commit mark written after it.
  private var stagedAuditHead: AuditLog.Head? = nil

  /// Every committed audit record, oldest first, after verifying the whole chain from
  /// the file's anchor to the vault's head; and how many records an interrupted write
  /// left after the head (dropped by the next write). Staged records are not included.
  /// Throws `.auditTampered` naming the first bad record.
  public func auditRecords() throws -> (records: [AuditRecord], uncommitted: Int) {
    precondition(!stale, "vault used after commit")
    let head = try committedAuditHead()
    let key = try subkey(.audit)
    var records: [AuditRecord] = []
    let uncommitted = try withCommittedAuditLog(head) { bytes in
      try AuditLog.verify(bytes, head: head, vaultID: header.vaultID, key: key) { seq, _, _, plain in
        records.append(AuditRecord(seq: seq, plaintext: plain))
        plain = []
      }
    }
    return (records, uncommitted)
  }

  /// The committed part of the audit log file as it is on disk (header and records up
  /// to the head's end; no uncommitted tail), for a backup. Nil when the vault has no
  /// audit head. Checks only that the file ends where the head says; `auditRecords()`
  /// verifies.
  public func committedAuditLog() throws -> [UInt8]? {
    guard let head = try committedAuditHead() else { return nil }
    return try withCommittedAuditLog(head) { bytes in
      guard let bytes = bytes else {
        throw AuditLog.tampered(head.anchorSeq + 1, "the log file is missing; the vault's head says \(head.seq) records")
      }
      guard bytes.count >= Int(head.end),
        Array(bytes[(Int(head.end) - AuditLog.tagLength)..<Int(head.end)]) == head.tag
          || head.end == UInt64(AuditLog.headerLength)
      else {
        // Name the damage.
        try AuditLog.verify(bytes, head: head, vaultID: header.vaultID, key: try subkey(.audit)) { _, _, _, p in
          Sodium.wipe(&p)
        }
        throw AuditLog.tampered(head.seq, "the log does not end with the record the vault's head names")
      }
      return Array(bytes[0..<Int(head.end)])
    }
  }

  /// Stages a prune: at commit the log is rewritten to start after record `seq - 1`
  /// (the header's anchor: that record's number and tag, so the kept records still
  /// verify) and `checkpoint` is appended like `appendAudit` (it should say what was
  /// pruned). The kept records are copied as they are. Verifies the committed chain
  /// first, except when nothing is kept (`seq` = head + 1), which reads nothing and so
  /// also starts a new log after a damaged or deleted one. Needs the exclusive lock.
  public func pruneAudit(keepingFrom seq: UInt64, checkpoint: [UInt8]) throws {
    precondition(lock.mode == .exclusive, "pruning the audit log needs the exclusive lock")
    guard !rekeyDropsOld else { throw VaultError.invalid("prune the audit log and rekey in separate commits") }
    try AuditLog.checkPlaintext(checkpoint)
    guard let head = try committedAuditHead(), seq > head.anchorSeq + 1 else {
      auditAppends.append(checkpoint)  // no stored record is older than `seq`
      return
    }
    guard seq <= head.seq + 1 else {
      throw VaultError.invalid("cannot keep the audit log from record \(seq): it ends at record \(head.seq)")
    }
    if seq == head.seq + 1 {
      let end = Int(head.end)
      auditRewrite = AuditLog.Rewrite(
        base: head, anchorSeq: head.seq, anchorTag: head.tag, body: .copy(from: end, to: end))
    } else {
      let key = try subkey(.audit)
      var from = 0
      var anchorTag = AuditLog.zeroTag
      try withCommittedAuditLog(head) { bytes in
        try AuditLog.verify(bytes, head: head, vaultID: header.vaultID, key: key) { s, offset, tag, plain in
          Sodium.wipe(&plain)
          if s == seq - 1 { anchorTag = tag }
          if s == seq { from = offset }
        }
      }
      auditRewrite = AuditLog.Rewrite(
        base: head, anchorSeq: seq - 1, anchorTag: anchorTag, body: .copy(from: from, to: Int(head.end)))
    }
    auditAppends.append(checkpoint)
  }

  /// The file holding the committed log (see `AuditLog.currentPath`), mapped; nil to
  /// `body` when there is none.
  private func withCommittedAuditLog<R>(_ head: AuditLog.Head?, _ body: (UnsafeRawBufferPointer?) throws -> R)
    throws -> R
  {
    let p = AuditLog.currentPath(vaultPath: path, head: head, vaultID: header.vaultID)
    let map: MappedFile
    do {
      map = try MappedFile(path: p)
    } catch VaultError.notFound {
      return try body(nil)
    }
    return try withExtendedLifetime(map) { try body(map.bytes) }
  }

  /// Commit step 1: the staged records appended to the log and fsynced (or the
  /// rewritten log put in place as `.audit.next`), and the new head staged. Returns
  /// true when `.audit.next` must be renamed over `.audit` after the vault commit.
  private func writeAudit() throws -> Bool {
    for p in auditAppends { try AuditLog.checkPlaintext(p) }
    let key = try subkey(.audit)
    let base: AuditLog.Head?
    if let rw = auditRewrite {
      base = rw.base
    } else if rekeyDropsOld {
      base = nil  // a rekey of a vault with an audit head always stages a rewrite
    } else {
      base = try committedAuditHead()
    }
    try AuditLog.settle(vaultPath: path, head: base, vaultID: header.vaultID)
    let head: AuditLog.Head
    if let rw = auditRewrite {
      head = try AuditLog.write(rw, appending: auditAppends, vaultPath: path, vaultID: header.vaultID, key: key)
    } else {
      head = try AuditLog.append(auditAppends, vaultPath: path, head: base, vaultID: header.vaultID, key: key)
    }
    put(AuditLog.headKey, head.encode())
    stagedAuditHead = head
    return auditRewrite != nil
  }

  /// For a rekey: the committed records (after a staged prune's anchor), verified and
  /// decrypted under the old key, to be sealed again under the new one at commit.
  private func auditRewriteForRekey() throws -> AuditLog.Rewrite? {
    guard let head = try committedAuditHead() else { return nil }
    let anchorSeq = auditRewrite?.anchorSeq ?? head.anchorSeq
    let anchorTag = auditRewrite?.anchorTag ?? head.anchorTag
    let key = try subkey(.audit)
    var records: [AuditRecord] = []
    try withCommittedAuditLog(head) { bytes in
      try AuditLog.verify(bytes, head: head, vaultID: header.vaultID, key: key) { seq, _, _, plain in
        if seq > anchorSeq {
          records.append(AuditRecord(seq: seq, plaintext: plain))
          plain = []
        } else {
          Sodium.wipe(&plain)
        }
      }
    }
    return AuditLog.Rewrite(base: head, anchorSeq: anchorSeq, anchorTag: anchorTag, body: .reseal(records))
  }

  // MARK: Key slots

  /// Adds a slot for `key` (a passphrase slot uses `limits`).
  public func addSlot(_ key: UnlockKey, limits: Sodium.PwhashLimits) throws {
    guard header.slots.count < VaultFormat.maxSlots else {
      throw VaultError.invalid("a vault holds at most \(VaultFormat.maxSlots) key slots")
    }
    if case .keyFile(let k) = key {
      let fp = KeyFile.fingerprint(k, vaultID: header.vaultID)
      if header.slots.contains(where: { $0.kind == .keyFile && $0.fingerprint == fp }) {
        throw VaultError.invalid("that key file already opens this vault")
      }
    }
    header.slots.append(
      try SlotCrypto.makeSlot(for: key, dataKey: dataKey, vaultID: header.vaultID, limits: limits))
    headerChanged = true
  }

  /// Replaces every passphrase slot with one for `passphrase`.
  public func setPassphrase(_ passphrase: SecureBytes, limits: Sodium.PwhashLimits) throws {
    let slot = try SlotCrypto.makeSlot(
      for: .passphrase(passphrase), dataKey: dataKey, vaultID: header.vaultID, limits: limits)
    header.slots.removeAll { $0.kind == .passphrase }
    header.slots.insert(slot, at: 0)
    headerChanged = true
  }

  /// Removes key-file slots: the one `keyFile` opens, or the only one when nil.
  /// Refuses to remove the last slot of the vault.
  @discardableResult
  public func removeKeyFileSlot(_ keyFile: SecureBytes?) throws -> KeySlot {
    let candidates: [Int]
    if let k = keyFile {
      let fp = KeyFile.fingerprint(k, vaultID: header.vaultID)
      candidates = header.slots.indices.filter { header.slots[$0].kind == .keyFile && header.slots[$0].fingerprint == fp }
      guard !candidates.isEmpty else { throw VaultError.slotNotFound("key-file slot for that key file") }
    } else {
      candidates = header.slots.indices.filter { header.slots[$0].kind == .keyFile }
      guard !candidates.isEmpty else { throw VaultError.slotNotFound("key-file slot") }
      guard candidates.count == 1 else {
        throw VaultError.invalid("the vault has \(candidates.count) key-file slots; name the one to remove")
      }
    }
    guard header.slots.count > 1 else {
      throw VaultError.invalid("refusing to remove the last key slot: the vault could never be opened again")
    }
    let removed = header.slots.remove(at: candidates[0])
    headerChanged = true
    return removed
  }

  /// Rotates the data key: every record is sealed again under a new key, and the new
  /// key is wrapped for each of `keys` (which replace all existing slots).
  public func rekey(keys: [UnlockKey], limits: [SlotKind: Sodium.PwhashLimits]) throws {
    precondition(!keys.isEmpty)
    precondition(!rekeyDropsOld, "rekey twice before a commit")
    // Load everything under the old key first. The audit log is sealed under a subkey
    // of the data key: it is read (and verified) now and sealed again at commit.
    let all = try records(withPrefix: "")
    let audit = try auditRewriteForRekey()
    // The keys of stored hashes stay: a hash cannot be computed again without the code
    // or token, which the vault never keeps. A vault without `keys/hashing` gets it now,
    // holding the subkeys of the old data key, so nothing issued before changes.
    let hashing = try loadHashingKeys()
    let newKey = try SecureBytes.random(count: 32)
    var slots: [KeySlot] = []
    for k in keys {
      slots.append(
        try SlotCrypto.makeSlot(
          for: k, dataKey: newKey, vaultID: header.vaultID, limits: limits[k.kind] ?? .moderate))
    }
    dataKey = newKey
    recordKey = try Sodium.deriveSubkey(from: newKey, id: Subkey.recordEncryption.rawValue, context: VaultFormat.kdfContext)
    lookupKey = try Sodium.deriveSubkey(from: newKey, id: Subkey.recordLookup.rawValue, context: VaultFormat.kdfContext)
    indexKey = try Sodium.deriveSubkey(from: newKey, id: Subkey.indexMAC.rawValue, context: VaultFormat.kdfContext)
    journalKey = try Sodium.deriveSubkey(from: newKey, id: Subkey.journal.rawValue, context: VaultFormat.kdfContext)
    header.slots = slots
    headerChanged = true
    // Every old entry goes; every record is staged anew under the new lookup ids.
    rekeyDropsOld = true
    changes.removeAll()
    for rec in all { put(rec.key, rec.value) }
    put(HashingKeys.recordKey, hashing.encode())
    auditRewrite = audit
  }

  private var rekeyDropsOld = false
}

// An open, unlocked vault: an encrypted key-value store of records. The domain decides
// what the records mean; the vault only guarantees that they are confidential,
// authenticated as a whole, and replaced atomically. Layout in docs/FORMAT.md.
//
// This file: the type, opening and unlocking (with journal recovery), reading and
// staging records. By job, in extensions: the index search (VaultIndex.swift), one
// record's format (RecordCodec.swift), the commit (VaultCommit.swift), the audit log
// as the vault stages it (VaultAuditStaging.swift), key slots and rekey (KeySlots.swift).
import Sodium

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

public final class VaultFile {
  public let path: String
  public internal(set) var header: VaultHeader
  /// Which slot the key given to `open` unlocked.
  public let unlockedSlot: Int

  let lock: VaultLock
  let map: MappedFile
  /// What `reopenForWriting` needs to open the vault again: the key it was unlocked
  /// with, the header bytes that key was tried against and what it unwrapped there.
  let unlockKey: UnlockKey
  let unlockedHeader: [UInt8]
  let lockTimeout: Double
  /// The data-key subkey that authenticates the in-place write journal.
  var journalKey: SecureBytes
  /// The journal's entries as the open found them, all applied (nil: empty); a write
  /// in place appends to them.
  var journalTail: Journal.Tail?
  var dataKey: SecureBytes
  var recordKey: SecureBytes
  var lookupKey: SecureBytes
  var headerChanged = false

  // The index as it is on disk (inside `map`), see Index.swift.
  let layout: IndexLayout
  var count: Int { layout.count }
  var recordsStart: Int { layout.recordsStart }
  var indexKey: SecureBytes
  /// Pages whose MAC and structure have been checked.
  var verifiedPages: [Bool]
  /// Format 4: which groups of the page table have been checked (VaultIndex.swift).
  var verifiedGroups: [Bool]

  /// Staged changes by lookup id: a new plaintext value, or nil for removal.
  /// Keyed by the id in hex: String keys share one conformance lookup with the rest of
  /// the program, where `[UInt8]` keys cost a scan of every conformance record in the
  /// binary on first use (~0.5M instructions on the verify path; bench/README.md).
  var changes: [String: (id: [UInt8], key: String, value: [UInt8]?)] = [:]

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

    // Writes in place leave entries in `<vault>.journal` (JournalEntries.swift), so
    // every open costs one stat(2) of it, and a read and compare when it has entries.
    // When they are not all in the vault and the log (a crash, a power cut), the
    // opener recovers: that needs the exclusive lock; a reader takes it for the moment.
    var tail: Journal.Tail? = nil
    if Journal.hasContent(vaultPath: real) {
      tail = Journal.appliedTail(vaultPath: real, file: map.bytes, vaultID: header.vaultID)
      if tail == nil {
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
        // A reader may find entries again (written since the lock went back to shared);
        // a writer holds the lock throughout, and recovery left the journal empty.
      }
    }
    journalTail = tail
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
    verifiedGroups = [Bool](repeating: false, count: layout.groups)
    guard layout.rootAuthenticates(key: macKey, bytes: file) else {
      throw VaultError.corrupt("index authentication failed")
    }
    let base = file.baseAddress!
    for g in 1..<max(layout.groups, 1) {
      let at = base + layout.groupEntryAt(g)
      if memcmp(at - IndexLayout.groupEntryLength, at, 16) >= 0 {
        throw VaultError.corrupt("group table is not sorted")
      }
    }
    // Formats 1-3: the root MAC covers the page table, so its order is checked here.
    // Format 4 checks each group's part of it with the group (VaultIndex.swift), so an
    // open does not read the whole page table.
    if !layout.grouped { try checkPageTable(0..<layout.pages) }
    if layout.pages > 0 {
      try verifyPage(layout.pages - 1)
    } else {
      guard layout.recordsStart == file.count else { throw VaultError.corrupt("file length does not match index") }
    }

    // A vault file put back to an older copy: its log holds commits it does not know
    // (docs/FORMAT.md, "Commit mark"). Checked on every open, readers included.
    try AuditLog.checkRollback(
      vaultPath: real, vaultID: header.vaultID, head: { try self.committedAuditHead() },
      key: { try self.subkey(.audit) })
  }

  /// The page table's entries for `pages`: first ids strictly increasing, offsets
  /// increasing from the start of the records and inside the file. The first page of
  /// the range is compared with the page before it only when that one is in the range's
  /// own authenticated part (formats 1-3: always; format 4: a group's first page is
  /// compared through the group table instead).
  func checkPageTable(_ pages: Range<Int>) throws {
    let base = map.bytes.baseAddress!
    for p in pages {
      let at = base + layout.pageEntryAt(p)
      if p > pages.lowerBound && memcmp(at - IndexLayout.pageTableEntryLength, at, 16) >= 0 {
        throw VaultError.corrupt("page table is not sorted")
      }
      let offset = pageOffset(p)
      let previous = p > pages.lowerBound ? pageOffset(p - 1) + 1 : layout.recordsStart
      guard offset >= previous, offset <= map.bytes.count else { throw VaultError.corrupt("bad page offset") }
    }
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
    defer { Syscalls.unlink(tmp) }
    guard Syscalls.link(tmp, path) == 0 else {
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

  // MARK: State of this open, shared with the extensions in VaultIndex.swift,
  // RecordCodec.swift, VaultCommit.swift, VaultAuditStaging.swift and KeySlots.swift

  /// Set after a commit: the mapped bytes are the old file, so further use is a bug.
  var stale = false

  /// Whether a commit that logs writes the commit mark after the log's new head. Off
  /// for scratch copies whose log is taken as a whole (a restore's), so it ends at the
  /// head like a backup's.
  var marksCommits = true

  /// Audit plaintexts staged for the next commit, in order.
  var auditAppends: [[UInt8]] = []
  /// A whole new log file staged by a prune or a rekey.
  var auditRewrite: AuditLog.Rewrite? = nil

  /// The head on disk, read once (by the open): it cannot change while the lock is held.
  var cachedAuditHead: AuditLog.Head?? = nil
  /// The head this commit staged, for the commit mark written after it.
  var stagedAuditHead: AuditLog.Head? = nil

  /// The hashing keys, read (or derived) once per open.
  var hashingKeys: HashingKeys? = nil

  /// Set by `rekey`: the commit drops every old entry (KeySlots.swift).
  var rekeyDropsOld = false

  // MARK: Records (layout: VaultIndex.swift, RecordCodec.swift)

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
      if i % layout.entriesPerPage == 0 { try verifyPage(layout.page(of: i)) }
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
    try HashingKeys.subkey(id, dataKey: dataKey, hashing: loadHashingKeys)
  }

  func loadHashingKeys() throws -> HashingKeys {
    if let k = hashingKeys { return k }
    let k = try HashingKeys.load(record: try get(HashingKeys.recordKey), dataKey: dataKey)
    hashingKeys = k
    return k
  }

  public var hasChanges: Bool { !changes.isEmpty || headerChanged || !auditAppends.isEmpty || auditRewrite != nil }

}

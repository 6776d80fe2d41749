// Key slots: how the one data key of a vault is wrapped for each way of unlocking it
// (docs/FORMAT.md, "Key slots and the data key"), and the vault's slot changes and
// rekey (an extension of VaultFile at the end).
import Sodium

/// A secret that can open (or will be given) a key slot. Lives in guarded memory.
public enum UnlockKey {
  /// The 32 bytes of a key file.
  case keyFile(SecureBytes)
  /// A passphrase's UTF-8 bytes.
  case passphrase(SecureBytes)

  public var kind: SlotKind {
    switch self {
    case .keyFile: return .keyFile
    case .passphrase: return .passphrase
    }
  }
}

public enum KeyFile {
  public static let length = 32

  /// Validates key-file contents (exactly 32 bytes) into guarded memory.
  public static func load(_ path: String) throws -> SecureBytes {
    var bytes = try FileIO.readSmallFile(path, limit: 4096)
    defer { Sodium.wipe(&bytes) }
    guard bytes.count == length else {
      throw VaultError.badKeyFile(path: path, size: bytes.count)
    }
    return try SecureBytes(copying: bytes)
  }

  /// Creates a new key file of 32 random bytes, O_EXCL and mode 0600; never overwrites.
  public static func generate(at path: String) throws -> SecureBytes {
    let key = try SecureBytes.random(count: length)
    var bytes = key.copyBytes()
    defer { Sodium.wipe(&bytes) }
    try FileIO.createExclusive(path, contents: bytes)
    return key
  }

  /// The fingerprint stored in a key-file slot: BLAKE2b-128 keyed by the file, over a
  /// fixed label and the vault id (so one key file used for two vaults is not linkable).
  static func fingerprint(_ key: SecureBytes, vaultID: [UInt8]) -> [UInt8] {
    Sodium.blake2b(Array("mfactl v1 key-file fingerprint".utf8) + vaultID, key: key, length: 16)
  }

  /// The key-encryption key for a key-file slot: BLAKE2b-256 keyed by the file.
  static func kek(_ key: SecureBytes, vaultID: [UInt8]) throws -> SecureBytes {
    var k = Sodium.blake2b(Array("mfactl v1 key-file kek".utf8) + vaultID, key: key, length: 32)
    defer { Sodium.wipe(&k) }
    return try SecureBytes(copying: k)
  }
}

enum SlotCrypto {
  /// Associated data binding a wrapped key to its vault and slot kind.
  static func wrapAD(vaultID: [UInt8], kind: SlotKind) -> [UInt8] {
    VaultFormat.magic + vaultID + [kind.rawValue]
  }

  static func kek(for key: UnlockKey, slot: KeySlot, vaultID: [UInt8]) throws -> SecureBytes {
    switch key {
    case .keyFile(let k): return try KeyFile.kek(k, vaultID: vaultID)
    case .passphrase(let p):
      return try Sodium.argon2id(
        passphrase: p, salt: slot.salt,
        limits: .init(opsLimit: slot.opsLimit, memLimit: slot.memLimit))
    }
  }

  /// A new slot for `key` wrapping `dataKey`.
  static func makeSlot(for key: UnlockKey, dataKey: SecureBytes, vaultID: [UInt8], limits: Sodium.PwhashLimits)
    throws -> KeySlot
  {
    var slot = KeySlot(kind: key.kind, wrappedKey: [])
    switch key {
    case .keyFile(let k):
      slot.fingerprint = KeyFile.fingerprint(k, vaultID: vaultID)
    case .passphrase:
      slot.opsLimit = limits.opsLimit
      slot.memLimit = limits.memLimit
      slot.salt = Sodium.randomBytes(Sodium.pwhashSaltLength)
    }
    let kek = try kek(for: key, slot: slot, vaultID: vaultID)
    slot.wrappedKey = dataKey.withUnsafeBytes {
      Sodium.seal($0, additionalData: wrapAD(vaultID: vaultID, kind: key.kind), key: kek)
    }
    return slot
  }

  /// The slots with one more for `key` (a passphrase slot uses `limits`): at most
  /// `VaultFormat.maxSlots`, and a key file that opens the vault already is refused.
  static func addingSlot(for key: UnlockKey, limits: Sodium.PwhashLimits, to header: VaultHeader, dataKey: SecureBytes)
    throws -> [KeySlot]
  {
    guard header.slots.count < VaultFormat.maxSlots else {
      throw VaultError.invalid("a vault holds at most \(VaultFormat.maxSlots) key slots")
    }
    if case .keyFile(let k) = key {
      let fp = KeyFile.fingerprint(k, vaultID: header.vaultID)
      if header.slots.contains(where: { $0.kind == .keyFile && $0.fingerprint == fp }) {
        throw VaultError.invalid("that key file already opens this vault")
      }
    }
    return header.slots + [try makeSlot(for: key, dataKey: dataKey, vaultID: header.vaultID, limits: limits)]
  }

  /// The slots with every passphrase slot replaced by one for `passphrase`, first.
  static func settingPassphrase(
    _ passphrase: SecureBytes, limits: Sodium.PwhashLimits, in header: VaultHeader, dataKey: SecureBytes
  ) throws -> [KeySlot] {
    let slot = try makeSlot(for: .passphrase(passphrase), dataKey: dataKey, vaultID: header.vaultID, limits: limits)
    return [slot] + header.slots.filter { $0.kind != .passphrase }
  }

  /// One slot per key wrapping a new data key (a rekey); passphrase slots cost `limits`
  /// of their kind (moderate when not given).
  static func slots(
    for keys: [UnlockKey], dataKey: SecureBytes, vaultID: [UInt8], limits: [SlotKind: Sodium.PwhashLimits]
  )
    throws -> [KeySlot]
  {
    try keys.map { try makeSlot(for: $0, dataKey: dataKey, vaultID: vaultID, limits: limits[$0.kind] ?? .moderate) }
  }

  /// The slot `keyFile` opens (or the only key-file slot when nil) and the slots
  /// without it; never the last slot of a vault.
  static func removingKeyFileSlot(_ keyFile: SecureBytes?, from header: VaultHeader) throws -> (KeySlot, [KeySlot]) {
    let candidates: [Int]
    if let k = keyFile {
      let fp = KeyFile.fingerprint(k, vaultID: header.vaultID)
      candidates = header.slots.indices.filter {
        header.slots[$0].kind == .keyFile && header.slots[$0].fingerprint == fp
      }
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
    var slots = header.slots
    let removed = slots.remove(at: candidates[0])
    return (removed, slots)
  }

  /// Tries the slots `key` can open; returns the data key and the slot index.
  static func unwrap(_ key: UnlockKey, header: VaultHeader) throws -> (SecureBytes, Int) {
    var candidates: [Int] = []
    switch key {
    case .keyFile(let k):
      let fp = KeyFile.fingerprint(k, vaultID: header.vaultID)
      candidates = header.slots.indices.filter {
        header.slots[$0].kind == .keyFile && Sodium.constantTimeEqual(header.slots[$0].fingerprint, fp)
      }
    case .passphrase:
      candidates = header.slots.indices.filter { header.slots[$0].kind == .passphrase }
    }
    for i in candidates {
      let slot = header.slots[i]
      let kek = try kek(for: key, slot: slot, vaultID: header.vaultID)
      if let dataKey = try? Sodium.openSecure(
        slot.wrappedKey, additionalData: wrapAD(vaultID: header.vaultID, kind: slot.kind), key: kek),
        dataKey.count == 32
      {
        return (dataKey, i)
      }
    }
    throw VaultError.unlockFailed
  }
}

// MARK: Changing the slots of an open vault

extension VaultFile {
  /// Adds a slot for `key` (a passphrase slot uses `limits`).
  public func addSlot(_ key: UnlockKey, limits: Sodium.PwhashLimits) throws {
    header.slots = try SlotCrypto.addingSlot(for: key, limits: limits, to: header, dataKey: dataKey)
    headerChanged = true
  }

  /// Replaces every passphrase slot with one for `passphrase`.
  public func setPassphrase(_ passphrase: SecureBytes, limits: Sodium.PwhashLimits) throws {
    header.slots = try SlotCrypto.settingPassphrase(passphrase, limits: limits, in: header, dataKey: dataKey)
    headerChanged = true
  }

  /// Removes key-file slots: the one `keyFile` opens, or the only one when nil.
  /// Refuses to remove the last slot of the vault.
  @discardableResult
  public func removeKeyFileSlot(_ keyFile: SecureBytes?) throws -> KeySlot {
    let (removed, slots) = try SlotCrypto.removingKeyFileSlot(keyFile, from: header)
    header.slots = slots
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
    let slots = try SlotCrypto.slots(for: keys, dataKey: newKey, vaultID: header.vaultID, limits: limits)
    dataKey = newKey
    recordKey = try Sodium.deriveSubkey(
      from: newKey, id: Subkey.recordEncryption.rawValue, context: VaultFormat.kdfContext)
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
}

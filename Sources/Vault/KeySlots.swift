// Key slots: how the one data key of a vault is wrapped for each way of unlocking it.
// FORMAT.md, section "Key slots".
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

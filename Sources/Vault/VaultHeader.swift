// The plaintext vault header: what `vault info` shows without a key, and what every
// unlock starts from. Byte layout in docs/FORMAT.md, section "Header".
import Sodium

public enum VaultFormat {
  /// The highest format version this build reads and the one it writes. Version 1
  /// vaults are read and upgraded by their next write (docs/FORMAT.md, "Version history").
  public static let version: UInt16 = 4
  public static let magic: [UInt8] = Array("MFAVAULT".utf8)
  /// Context for crypto_kdf subkeys of the data key (8 bytes).
  public static let kdfContext = "mfactlv1"

  // Limits a reader enforces before doing any work (docs/FORMAT.md, "What a reader MUST
  // check").
  public static let maxSlots = 16
  public static let maxHeaderLength = 4096
  public static let maxRecords = 10_000_000
  public static let maxRecordLength = 16 << 20
  /// Argon2id cost ceilings: a header cannot make an unlock take unbounded time or memory.
  public static let maxOpsLimit: UInt64 = 64
  public static let maxMemLimit: UInt64 = 4 << 30
  public static let minMemLimit: UInt64 = 8 << 10
}

/// Subkeys derived from the data key with crypto_kdf (context "mfactlv1"). The ids are
/// part of the format: never renumber, only add. The keys of stored keyed hashes
/// (recoveryCodes, tokens, challenges) are derived so only until the first rekey, which
/// keeps them in the record `keys/hashing` (HashingKeys.swift): `VaultFile.subkey`.
public enum Subkey: UInt64 {
  case recordEncryption = 1
  case recordLookup = 2
  case indexMAC = 3
  case journal = 4
  // 5...: for the domain (audit log, recovery-code hashes, token hashes, backups).
  case audit = 5
  case recoveryCodes = 6
  case tokens = 7
  case challenges = 8
  case backup = 9
}

public enum SlotKind: UInt8, Sendable {
  case passphrase = 1
  case keyFile = 2

  public var name: String { self == .passphrase ? "passphrase" : "key-file" }
}

/// One way to unlock the vault: the data key wrapped under a key-encryption key.
public struct KeySlot: Equatable, Sendable {
  public var kind: SlotKind
  /// Passphrase: Argon2id13 cost and salt.
  public var opsLimit: UInt64 = 0
  public var memLimit: UInt64 = 0
  public var salt: [UInt8] = []
  /// Key file: BLAKE2b-128 of the key file under a fixed personalisation, so the slot a
  /// file opens can be found (and named) without trial decryption.
  public var fingerprint: [UInt8] = []
  /// nonce (24) || XChaCha20-Poly1305(data key) (32 + 16)
  public var wrappedKey: [UInt8]

  public static let wrappedLength = 24 + 32 + 16

  public var fingerprintHex: String { Sodium.hex(fingerprint) }
}

public struct VaultHeader: Equatable, Sendable {
  public var version: UInt16
  public var vaultID: [UInt8]  // 16 random bytes
  public var createdAt: Int64
  public var slots: [KeySlot]

  /// Serialised header bytes (without the checksum that follows them on disk).
  public func encode() -> [UInt8] {
    var w = ByteWriter(capacity: 256)
    w.raw(VaultFormat.magic)
    w.u16(version)
    let lengthAt = w.bytes.count
    w.u32(0)  // header length, patched below
    w.raw(vaultID)
    w.i64(createdAt)
    w.u8(UInt8(slots.count))
    for s in slots {
      w.u8(s.kind.rawValue)
      switch s.kind {
      case .passphrase:
        w.u8(UInt8(Sodium.pwhashAlgArgon2id13))
        w.u64(s.opsLimit)
        w.u64(s.memLimit)
        w.raw(s.salt)
      case .keyFile:
        w.raw(s.fingerprint)
      }
      w.raw(s.wrappedKey)
    }
    w.patchU32(at: lengthAt, UInt32(w.bytes.count))
    return w.bytes
  }

  /// Parses and validates a header at the start of `file`. Returns the header and its
  /// length; checks the checksum that follows it, so any flipped byte in the header is
  /// reported as corruption (65) before anyone tries a key (which would report 77).
  public static func decode(_ file: UnsafeRawBufferPointer) throws -> (VaultHeader, Int) {
    guard file.count >= 8, Array(file[0..<8]) == VaultFormat.magic else {
      throw VaultError.corrupt("not an mfactl vault: bad magic")
    }
    var r = ByteReader(file, offset: 8)
    do {
      let version = try r.u16()
      guard version >= 1 else { throw VaultError.corrupt("format version 0") }
      guard version <= VaultFormat.version else { throw VaultError.unsupportedVersion(version) }
      let length = Int(try r.u32())
      guard length >= 39, length <= VaultFormat.maxHeaderLength, length + 32 <= file.count else {
        throw VaultError.corrupt("bad header length")
      }
      let stored = Array(file[length..<(length + 32)])
      let computed = Sodium.blake2b(
        UnsafeBufferPointer(rebasing: file.bindMemory(to: UInt8.self)[0..<length]), length: 32)
      guard Sodium.constantTimeEqual(stored, computed) else { throw VaultError.corrupt("header checksum mismatch") }

      let headerBytes = UnsafeRawBufferPointer(rebasing: file[0..<length])
      var h = ByteReader(headerBytes, offset: r.offset)
      let vaultID = try h.raw(16)
      let createdAt = try h.i64()
      let count = Int(try h.u8())
      guard count >= 1, count <= VaultFormat.maxSlots else { throw VaultError.corrupt("bad key slot count \(count)") }
      var slots: [KeySlot] = []
      for _ in 0..<count {
        guard let kind = SlotKind(rawValue: try h.u8()) else { throw VaultError.corrupt("unknown key slot kind") }
        var slot = KeySlot(kind: kind, wrappedKey: [])
        switch kind {
        case .passphrase:
          guard Int32(try h.u8()) == Sodium.pwhashAlgArgon2id13 else {
            throw VaultError.corrupt("unknown passphrase KDF")
          }
          slot.opsLimit = try h.u64()
          slot.memLimit = try h.u64()
          guard slot.opsLimit >= 1, slot.opsLimit <= VaultFormat.maxOpsLimit,
            slot.memLimit >= VaultFormat.minMemLimit, slot.memLimit <= VaultFormat.maxMemLimit
          else { throw VaultError.corrupt("Argon2id parameters out of range") }
          slot.salt = try h.raw(Sodium.pwhashSaltLength)
        case .keyFile:
          slot.fingerprint = try h.raw(16)
        }
        slot.wrappedKey = try h.raw(KeySlot.wrappedLength)
        slots.append(slot)
      }
      try h.expectEnd()
      return (VaultHeader(version: version, vaultID: vaultID, createdAt: createdAt, slots: slots), length)
    } catch let e as DecodeError {
      throw VaultError.corrupt("header: \(e.reason)")
    }
  }
}

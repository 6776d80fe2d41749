// One record: its lookup id, plaintext layout and sealing (docs/FORMAT.md, "Records").
import Sodium

// The construction is the same for a vault file's records and a PostgreSQL vault's rows
// (PostgresVault.swift): the static functions here are both backends' one copy of it.
extension VaultFile {
  /// The lookup id of a logical key: keyed BLAKE2b-128, so names are not stored in clear.
  static func lookupID(_ key: String, lookupKey: SecureBytes) -> [UInt8] {
    Sodium.blake2b(Array(key.utf8), key: lookupKey, length: 16)
  }

  /// A record sealed under `recordKey`, bound to its vault and lookup id (associated data
  /// vault id || id, so a record moved under another id does not open).
  static func sealRecord(id: [UInt8], key: String, value: [UInt8], vaultID: [UInt8], recordKey: SecureBytes)
    -> [UInt8]
  {
    var plain = recordPlaintext(key: key, value: value)
    defer { Sodium.wipe(&plain) }
    return Sodium.seal(plain, additionalData: vaultID + id, key: recordKey)
  }

  /// The logical key and value of a record sealed by `sealRecord`; corrupt when it does
  /// not authenticate.
  static func openRecord(_ sealed: UnsafeRawBufferPointer, id: [UInt8], vaultID: [UInt8], recordKey: SecureBytes)
    throws -> (key: String, value: [UInt8])
  {
    var plain: [UInt8]
    do {
      plain = try Sodium.open(sealed, additionalData: vaultID + id, key: recordKey)
    } catch {
      throw VaultError.corrupt("record authentication failed")
    }
    return try splitPlain(&plain)
  }

  public func lookupID(_ key: String) -> [UInt8] { Self.lookupID(key, lookupKey: lookupKey) }

  func openRecord(at i: Int, offset: Int) throws -> (key: String, value: [UInt8]) {
    let len = entryLength(i)
    let sealed = UnsafeRawBufferPointer(rebasing: map.bytes[offset..<(offset + len)])
    var record = try Self.openRecord(sealed, id: Array(entryID(i)), vaultID: header.vaultID, recordKey: recordKey)
    // The index MAC covers each record's tag; check the tag matches what the index says.
    let tagAt = layout.tagAt(i)
    guard Array(map.bytes[tagAt..<(tagAt + 16)]) == Array(sealed[(len - 16)..<len]) else {
      Sodium.wipe(&record.value)
      throw VaultError.corrupt("record does not match index")
    }
    return record
  }

  /// The plaintext of a record is padded to a multiple of `recordPadding` bytes, so that
  /// small changes (a counter, a timestamp appearing) keep the sealed length and can be
  /// written in place (layout: docs/FORMAT.md, "Records").
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

  static func splitPlain(_ plain: inout [UInt8]) throws -> (key: String, value: [UInt8]) {
    defer { Sodium.wipe(&plain) }
    guard plain.count >= 6 else { throw VaultError.corrupt("short record") }
    let n = Int(plain[0]) | Int(plain[1]) << 8
    guard plain.count >= 6 + n, let key = String(validating: plain[2..<(2 + n)], as: UTF8.self) else {
      throw VaultError.corrupt("bad record key")
    }
    var m = 0
    for i in 0..<4 { m |= Int(plain[2 + n + i]) << (8 * i) }
    let start = 6 + n
    guard m <= plain.count - start, Self.isZero(plain, from: start + m) else {
      throw VaultError.corrupt("bad record length or padding")
    }
    return (key, Array(plain[start..<(start + m)]))
  }

  /// Whether every byte from `start` on is zero (a record's padding). Not secret: the
  /// padding's length is the record's length, which the index holds in clear.
  static func isZero(_ bytes: [UInt8], from start: Int) -> Bool {
    bytes.withUnsafeBytes { b in
      var any: UInt8 = 0
      for i in start..<b.count { any |= b[i] }
      return any == 0
    }
  }

  func sealRecord(id: [UInt8], key: String, value: [UInt8]) -> [UInt8] {
    Self.sealRecord(id: id, key: key, value: value, vaultID: header.vaultID, recordKey: recordKey)
  }
}

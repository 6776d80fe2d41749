// The keys of the keyed hashes whose outputs are stored: recovery codes, session and
// device tokens, challenge codes (docs/FORMAT.md, "Hashing keys"). A hash cannot be
// computed again without its input, which mfactl never keeps, so these keys must not
// change when the data key does: `vault rekey` keeps them in the record `keys/hashing`,
// sealed like every record under the (new) data key. A vault that was never rekeyed
// has no such record and derives them from its data key, as format 1 always did.
import Sodium

struct HashingKeys {
  /// The logical key of the record holding them.
  static let recordKey = "keys/hashing"
  /// The record's own format version (its first byte).
  static let version: UInt8 = 1
  /// The subkeys kept, in the order the record stores them.
  static let kept: [Subkey] = [.recoveryCodes, .tokens, .challenges]
  /// version, then 32 bytes per key.
  static let encodedLength = 1 + 32 * 3

  /// One per entry of `kept`, in that order.
  let keys: [SecureBytes]

  /// Where `id` is in `kept`, nil for the subkeys that are derived on every open.
  /// (A switch: no Equatable witness on the login path.)
  static func index(of id: Subkey) -> Int? {
    switch id {
    case .recoveryCodes: return 0
    case .tokens: return 1
    case .challenges: return 2
    default: return nil
    }
  }

  /// The keys a vault without the record uses: subkeys of its data key.
  static func derived(from dataKey: SecureBytes) throws -> HashingKeys {
    HashingKeys(
      keys: try kept.map { try Sodium.deriveSubkey(from: dataKey, id: $0.rawValue, context: VaultFormat.kdfContext) })
  }

  /// The keys of a vault whose `keys/hashing` record holds `value`, or, without the
  /// record (nil), its data key's subkeys. Wipes `value`.
  static func load(record value: [UInt8]?, dataKey: SecureBytes) throws -> HashingKeys {
    guard var value = value else { return try derived(from: dataKey) }
    defer { Sodium.wipe(&value) }
    return try decode(value)
  }

  /// The key for `id` of a vault with `dataKey`: a kept hashing key from `hashing`, or a
  /// subkey derived on the spot.
  static func subkey(_ id: Subkey, dataKey: SecureBytes, hashing: () throws -> HashingKeys) throws -> SecureBytes {
    if index(of: id) != nil { return try hashing().key(id) }
    return try Sodium.deriveSubkey(from: dataKey, id: id.rawValue, context: VaultFormat.kdfContext)
  }

  /// A copy of the key for `id` (one of `kept`), so a caller holds its own guarded buffer.
  func key(_ id: Subkey) throws -> SecureBytes {
    guard let i = Self.index(of: id) else { preconditionFailure("subkey \(id) is not a hashing key") }
    return try keys[i].withUnsafeBytes { try SecureBytes(copying: $0) }
  }

  /// The record value (docs/FORMAT.md, "Hashing keys").
  /// It is staged like any record's value (and so lives, unwiped, until the commit
  /// drops the staged changes, as every record's plaintext does).
  func encode() -> [UInt8] {
    var out = [UInt8]()
    out.reserveCapacity(Self.encodedLength)
    out.append(Self.version)
    for k in keys { k.withUnsafeBytes { out.append(contentsOf: $0) } }
    return out
  }

  /// Strict: any other version or length is a corrupt vault. Copies the keys into
  /// guarded memory; the caller wipes `value`.
  static func decode(_ value: [UInt8]) throws -> HashingKeys {
    guard value.count == encodedLength else {
      throw VaultError.corrupt("hashing keys record: length \(value.count), expected \(encodedLength)")
    }
    guard value[0] == version else { throw VaultError.corrupt("hashing keys record: unknown version \(value[0])") }
    return try value.withUnsafeBytes { raw in
      HashingKeys(
        keys: try kept.indices.map { i in
          try SecureBytes(copying: UnsafeRawBufferPointer(rebasing: raw[(1 + 32 * i)..<(1 + 32 * (i + 1))]))
        })
    }
  }
}

// Little-endian binary encoding used by the vault header, index and records.
// Foundation's coders are far too slow for 100,000 users (see docs/FORMAT.md), and a
// hand-written encoding is also easier to specify byte for byte.

/// Thrown when bytes do not decode: always reported as a corrupt vault (exit 65).
public struct DecodeError: Error, Equatable, CustomStringConvertible {
  public let reason: String
  public init(_ reason: String) { self.reason = reason }
  public var description: String { reason }
}

public struct ByteWriter {
  public private(set) var bytes: [UInt8]

  public init(capacity: Int = 256) {
    bytes = []
    bytes.reserveCapacity(capacity)
  }

  public mutating func u8(_ v: UInt8) { bytes.append(v) }
  public mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }

  public mutating func u16(_ v: UInt16) {
    bytes.append(UInt8(truncatingIfNeeded: v))
    bytes.append(UInt8(truncatingIfNeeded: v >> 8))
  }

  public mutating func u32(_ v: UInt32) {
    for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
  }

  public mutating func u64(_ v: UInt64) {
    for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
  }

  public mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
  public mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }

  /// Raw bytes with no length prefix (fixed-size fields).
  public mutating func raw(_ v: [UInt8]) { bytes.append(contentsOf: v) }
  public mutating func raw(_ v: UnsafeRawBufferPointer) { bytes.append(contentsOf: v) }

  /// Length-prefixed (u32) bytes.
  public mutating func data(_ v: [UInt8]) {
    u32(UInt32(v.count))
    bytes.append(contentsOf: v)
  }

  /// Length-prefixed (u32) UTF-8 string.
  public mutating func string(_ v: String) { data(Array(v.utf8)) }

  /// Optional value: a presence byte, then the value.
  public mutating func optional<T>(_ v: T?, _ write: (inout ByteWriter, T) -> Void) {
    if let v = v {
      u8(1)
      write(&self, v)
    } else {
      u8(0)
    }
  }

  /// Overwrites 4 bytes at `offset` (for lengths known only after writing).
  public mutating func patchU32(at offset: Int, _ v: UInt32) {
    for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) }
  }

  /// Wipes the buffer (use when it held secrets).
  public mutating func wipe() {
    for i in bytes.indices { bytes[i] = 0 }
    bytes.removeAll()
  }
}

public struct ByteReader {
  private let bytes: UnsafeRawBufferPointer
  public private(set) var offset: Int

  public init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
    self.bytes = bytes
    self.offset = offset
  }

  public var remaining: Int { bytes.count - offset }
  public var isAtEnd: Bool { offset == bytes.count }

  private mutating func take(_ n: Int) throws -> UnsafeRawBufferPointer {
    guard n >= 0, n <= remaining else { throw DecodeError("truncated data") }
    let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)])
    offset += n
    return slice
  }

  public mutating func u8() throws -> UInt8 { try take(1)[0] }

  public mutating func bool() throws -> Bool {
    switch try u8() {
    case 0: return false
    case 1: return true
    default: throw DecodeError("invalid boolean")
    }
  }

  public mutating func u16() throws -> UInt16 {
    let b = try take(2)
    return UInt16(b[0]) | UInt16(b[1]) << 8
  }

  public mutating func u32() throws -> UInt32 {
    let b = try take(4)
    var v: UInt32 = 0
    for i in 0..<4 { v |= UInt32(b[i]) << (8 * UInt32(i)) }
    return v
  }

  public mutating func u64() throws -> UInt64 {
    let b = try take(8)
    var v: UInt64 = 0
    for i in 0..<8 { v |= UInt64(b[i]) << (8 * UInt64(i)) }
    return v
  }

  public mutating func i64() throws -> Int64 { Int64(bitPattern: try u64()) }
  public mutating func i32() throws -> Int32 { Int32(bitPattern: try u32()) }

  public mutating func raw(_ n: Int) throws -> [UInt8] { Array(try take(n)) }

  /// Length-prefixed bytes, refusing lengths above `limit`.
  public mutating func data(limit: Int = 1 << 24) throws -> [UInt8] {
    let n = Int(try u32())
    guard n <= limit else { throw DecodeError("field longer than \(limit) bytes") }
    return try raw(n)
  }

  /// Length-prefixed UTF-8 string; invalid UTF-8 is a decode error, not a repair.
  public mutating func string(limit: Int = 4096) throws -> String {
    let n = Int(try u32())
    guard n <= limit else { throw DecodeError("string longer than \(limit) bytes") }
    let b = try take(n)
    guard let s = String(validating: b.bindMemory(to: UInt8.self), as: UTF8.self) else {
      throw DecodeError("invalid UTF-8")
    }
    return s
  }

  public mutating func optional<T>(_ read: (inout ByteReader) throws -> T) throws -> T? {
    switch try u8() {
    case 0: return nil
    case 1: return try read(&self)
    default: throw DecodeError("invalid optional marker")
    }
  }

  public mutating func expectEnd() throws {
    guard isAtEnd else { throw DecodeError("trailing bytes") }
  }
}

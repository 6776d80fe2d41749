import Sodium

/// SHA-1 (FIPS 180-4, section 6.1) and HMAC-SHA1 (RFC 2104).
///
/// SHA-1 is broken for collision resistance, but HMAC-SHA1 is not affected by that and
/// is what RFC 4226/6238 and almost every authenticator app use by default. libsodium
/// has no SHA-1, and the project takes no third-party packages, hence this file. Use it
/// for OTP interoperability only.
///
/// It sits on the login path: a HOTP verify computes 21 MACs (the window and the used
/// counters below it). So blocks are
/// read in place through raw pointers, the message schedule and padding live in stack
/// buffers, and nothing is allocated but the returned digest: a compression is ~1,900
/// instructions and a MAC under a prepared key (`HMACKey`) two of them. The version
/// before built arrays per block and took ~26,000 instructions per MAC (bench/README.md,
/// "HMAC-SHA1"). Buffers that held key material are wiped with `sodium_memzero`.
public enum SHA1 {
  public static let digestLength = 20
  public static let blockLength = 64

  public static func hash(_ message: [UInt8]) -> [UInt8] {
    var state = State()
    message.withUnsafeBytes { state.finish(after: 0, tail: $0) }
    return state.digest()
  }

  public static func hmac(key: [UInt8], message: [UInt8]) -> [UInt8] {
    let key = HMACKey(key)
    return message.withUnsafeBytes { key.authenticate($0) }
  }

  /// An HMAC-SHA1 key with its two padded blocks already compressed (RFC 2104's
  /// `K XOR ipad` and `K XOR opad`), so each MAC under it costs two compressions for a
  /// short message instead of four.
  struct HMACKey {
    private var inner = State()
    private var outer = State()

    init(_ key: [UInt8]) {
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: SHA1.blockLength) { buffer in
        let block = UnsafeMutableRawBufferPointer(buffer)
        block.initializeMemory(as: UInt8.self, repeating: 0)
        // RFC 2104: keys longer than a block are hashed first, shorter ones zero-padded.
        if key.count > SHA1.blockLength {
          var digest = SHA1.hash(key)
          block.copyBytes(from: digest)
          Sodium.wipe(&digest)
        } else {
          block.copyBytes(from: key)
        }
        for i in 0..<SHA1.blockLength { block[i] ^= 0x36 }
        inner.absorb(blocks: UnsafeRawBufferPointer(block))
        for i in 0..<SHA1.blockLength { block[i] ^= 0x36 ^ 0x5C }
        outer.absorb(blocks: UnsafeRawBufferPointer(block))
        // The padded key blocks are the key in all but name.
        Sodium.wipe(block)
      }
    }

    func authenticate(_ message: UnsafeRawBufferPointer) -> [UInt8] {
      [UInt8](unsafeUninitializedCapacity: SHA1.digestLength) { buffer, count in
        authenticate(message, into: UnsafeMutableRawBufferPointer(buffer))
        count = SHA1.digestLength
      }
    }

    /// The MAC of `message`, written to the first 20 bytes of `mac`.
    func authenticate(_ message: UnsafeRawBufferPointer, into mac: UnsafeMutableRawBufferPointer) {
      var state = inner
      state.finish(after: SHA1.blockLength, tail: message)
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: SHA1.digestLength) { buffer in
        let innerDigest = UnsafeMutableRawBufferPointer(buffer)
        state.write(to: innerDigest)
        var outerState = outer
        outerState.finish(after: SHA1.blockLength, tail: UnsafeRawBufferPointer(innerDigest))
        Sodium.wipe(innerDigest)
        outerState.write(to: mac)
      }
    }
  }

  /// The five chaining words. A plain value: HMAC copies its precomputed states.
  struct State {
    private var h0: UInt32 = 0x6745_2301
    private var h1: UInt32 = 0xEFCD_AB89
    private var h2: UInt32 = 0x98BA_DCFE
    private var h3: UInt32 = 0x1032_5476
    private var h4: UInt32 = 0xC3D2_E1F0

    /// Compresses every whole 64-byte block of `bytes` (any remainder is ignored).
    mutating func absorb(blocks bytes: UnsafeRawBufferPointer) {
      guard bytes.count >= SHA1.blockLength, let base = bytes.baseAddress else { return }
      withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 80) { schedule in
        let w = schedule.baseAddress!
        var offset = 0
        while bytes.count - offset >= SHA1.blockLength {
          compress(base + offset, w)
          offset += SHA1.blockLength
        }
        // The schedule is a function of the block, which may be key material.
        Sodium.wipe(UnsafeMutableRawBufferPointer(schedule))
      }
    }

    /// Hashes the last bytes of a message, `previous` bytes (a multiple of 64) having
    /// been absorbed already, and appends the padding and the length.
    mutating func finish(after previous: Int, tail: UnsafeRawBufferPointer) {
      let whole = tail.count - tail.count % SHA1.blockLength
      absorb(blocks: UnsafeRawBufferPointer(rebasing: tail[0..<whole]))
      let rest = tail.count - whole
      let bitLength = UInt64(previous + tail.count) &* 8
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * SHA1.blockLength) { buffer in
        let last = UnsafeMutableRawBufferPointer(buffer)
        last.initializeMemory(as: UInt8.self, repeating: 0)
        if rest > 0 {
          last.copyMemory(from: UnsafeRawBufferPointer(rebasing: tail[whole...]))
        }
        last[rest] = 0x80
        // One block when the 0x80 and the 8 length bytes still fit after the rest, else two.
        let length = rest < SHA1.blockLength - 8 ? SHA1.blockLength : 2 * SHA1.blockLength
        last.storeBytes(of: bitLength.bigEndian, toByteOffset: length - 8, as: UInt64.self)
        absorb(blocks: UnsafeRawBufferPointer(rebasing: last[0..<length]))
        Sodium.wipe(last)
      }
    }

    /// The digest: the five words big-endian.
    func write(to digest: UnsafeMutableRawBufferPointer) {
      precondition(digest.count >= SHA1.digestLength)
      digest.storeBytes(of: h0.bigEndian, toByteOffset: 0, as: UInt32.self)
      digest.storeBytes(of: h1.bigEndian, toByteOffset: 4, as: UInt32.self)
      digest.storeBytes(of: h2.bigEndian, toByteOffset: 8, as: UInt32.self)
      digest.storeBytes(of: h3.bigEndian, toByteOffset: 12, as: UInt32.self)
      digest.storeBytes(of: h4.bigEndian, toByteOffset: 16, as: UInt32.self)
    }

    func digest() -> [UInt8] {
      [UInt8](unsafeUninitializedCapacity: SHA1.digestLength) { buffer, count in
        write(to: UnsafeMutableRawBufferPointer(buffer))
        count = SHA1.digestLength
      }
    }

    /// FIPS 180-4 6.1.2 for one block at `block`; `w` is room for the 80-word schedule.
    @inline(__always)
    private mutating func compress(_ block: UnsafeRawPointer, _ w: UnsafeMutablePointer<UInt32>) {
      for t in 0..<16 {
        w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 * t, as: UInt32.self))
      }
      for t in 16..<80 {
        w[t] = rotateLeft(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1)
      }
      var a = h0
      var b = h1
      var c = h2
      var d = h3
      var e = h4
      // The four round groups, each its own loop so the round function needs no branch.
      for t in 0..<20 {
        let temp = rotateLeft(a, 5) &+ ((b & c) | (~b & d)) &+ e &+ 0x5A82_7999 &+ w[t]
        (e, d, c, b, a) = (d, c, rotateLeft(b, 30), a, temp)
      }
      for t in 20..<40 {
        let temp = rotateLeft(a, 5) &+ (b ^ c ^ d) &+ e &+ 0x6ED9_EBA1 &+ w[t]
        (e, d, c, b, a) = (d, c, rotateLeft(b, 30), a, temp)
      }
      for t in 40..<60 {
        let temp = rotateLeft(a, 5) &+ ((b & c) | (b & d) | (c & d)) &+ e &+ 0x8F1B_BCDC &+ w[t]
        (e, d, c, b, a) = (d, c, rotateLeft(b, 30), a, temp)
      }
      for t in 60..<80 {
        let temp = rotateLeft(a, 5) &+ (b ^ c ^ d) &+ e &+ 0xCA62_C1D6 &+ w[t]
        (e, d, c, b, a) = (d, c, rotateLeft(b, 30), a, temp)
      }
      h0 &+= a
      h1 &+= b
      h2 &+= c
      h3 &+= d
      h4 &+= e
    }
  }
}

@inline(__always)
private func rotateLeft(_ x: UInt32, _ n: UInt32) -> UInt32 {
  (x << n) | (x >> (32 - n))
}

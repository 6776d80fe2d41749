// Target base32: Base32.decode on any text (secrets from URIs, files and stdin), and
// the round trip of what decodes: encode (with and without padding) and grouped.
func fuzzBase32(_ bytes: UnsafeRawBufferPointer) {
  let text = String(decoding: bytes, as: UTF8.self)
  guard let decoded = try? Base32.decode(text) else { return }
  for padding in [false, true] {
    let encoded = Base32.encode(decoded, padding: padding)
    guard let back = try? Base32.decode(encoded), back == decoded else {
      fatalError("Base32 round trip failed for \(encoded)")
    }
    guard let grouped = try? Base32.decode(Base32.grouped(encoded)), grouped == decoded else {
      fatalError("grouped Base32 does not decode back: \(Base32.grouped(encoded))")
    }
  }
}

// Target vault_header: VaultHeader.decode, the first thing every command reads from a
// vault file (and from a backup). Byte 0 of the input is a flag: bit 0 recomputes the
// checksum after the header so mutations reach the field checks. A header that decodes
// must encode back to the same bytes.
func fuzzVaultHeader(_ input: UnsafeRawBufferPointer) {
  guard let flags = input.first else { return }
  var file = Array(input.dropFirst())
  if flags & 1 != 0 { FixUp.headerChecksum(&file) }
  guard let (header, length) = try? file.withUnsafeBytes({ try VaultHeader.decode($0) }) else { return }
  guard header.encode() == Array(file[0..<length]) else { fatalError("a decoded vault header encodes differently") }
}

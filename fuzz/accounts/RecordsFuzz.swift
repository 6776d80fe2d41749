// Target records: the decoders of decrypted vault and audit plaintext. They sit behind
// authenticated encryption, so only a key holder (or a bug in mfactl's own writer) can
// feed them bad bytes, but such bytes must still be refused, never crash.
//
// Input: selector u8, then the plaintext. Selector mod 7: 0 a user record (UserCodec,
// then every section it holds, and the round trip of what decodes), 1 an audit event
// (AuditCodec), 2 to 6 one section on its own: recovery codes, trusted devices,
// sessions, challenges, policy.
import Vault

func fuzzRecords(_ input: UnsafeRawBufferPointer) {
  guard let selector = input.first else { return }
  let bytes = UnsafeRawBufferPointer(rebasing: input.dropFirst())
  switch selector % 7 {
  case 0: fuzzUserRecord(bytes)
  case 1: _ = try? AuditCodec.decode(seq: 1, Array(bytes))
  case 2: section(bytes, RecoveryCodeSet.decode)
  case 3: section(bytes, Devices.decode)
  case 4: section(bytes, Sessions.decode)
  case 5: section(bytes, ChallengeState.decode)
  default: section(bytes, UserPolicy.decode)
  }
}

private func section<T>(_ bytes: UnsafeRawBufferPointer, _ decode: (inout ByteReader) throws -> T) {
  var r = ByteReader(bytes)
  _ = try? decode(&r)
}

private func fuzzUserRecord(_ bytes: UnsafeRawBufferPointer) {
  guard let user = try? UserCodec.decode(bytes) else { return }
  // The decoder must accept only what the writer's check lets through.
  if let problem = UserCodec.violation(user) { fatalError("decoded a user record that check refuses: \(problem)") }
  let encoded = UserCodec.encode(user)
  guard UserCodec.encodedSize(user) == encoded.count else { fatalError("UserCodec.encodedSize is wrong") }
  guard let again = try? UserCodec.decode(encoded), again == user else {
    fatalError("a decoded user record does not survive encode and decode")
  }
  _ = try? user.section(.recoveryCodes, RecoveryCodeSet.decode)
  _ = try? user.section(.devices, Devices.decode)
  _ = try? user.section(.sessions, Sessions.decode)
  _ = try? user.section(.challenges, ChallengeState.decode)
  _ = try? user.section(.policy, UserPolicy.decode)
}

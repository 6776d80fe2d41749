// Target google_authenticator: GoogleAuthenticatorFile(parsing:) on any file content
// (`users import google-authenticator` reads a user's ~/.google_authenticator), then
// everything the import derives from a file that parses.
import Sodium

nonisolated(unsafe) let fuzzRecoveryKey = try! SecureBytes(copying: [UInt8](repeating: 7, count: 32))

func fuzzGoogleAuthenticator(_ bytes: UnsafeRawBufferPointer) {
  guard let file = try? GoogleAuthenticatorFile(parsing: Array(bytes)) else { return }
  _ = file.lastStep
  _ = file.drift
  _ = file.auditDetail
  if let set = file.recoveryCodeSet(userID: "0123456789abcdef", key: fuzzRecoveryKey, now: 1_700_000_000) {
    var user = User(name: "alice", id: "0123456789abcdef", createdAt: 0)
    set.store(into: &user)
    _ = try? UserCodec.decode(UserCodec.encode(user))
  }
}

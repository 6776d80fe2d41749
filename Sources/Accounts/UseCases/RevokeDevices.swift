// `devices revoke USER [ID]`: one trusted device, or all of the user's, each recorded
// (`device.revoked`; "none" when there was none).

public enum RevokeDevices {
  public struct Input {
    public var user: String
    /// Only this device (nil: every device of the user).
    public var id: String?
    public init(user: String, id: String? = nil) {
      self.user = user
      self.id = id
    }
  }

  public struct Result {
    public var user: User
    public var revoked: [TrustedDevice]
  }

  /// Throws `DevicesError.notFound` for an id the user has no device with.
  public static func run(_ store: AccountStore, _ input: Input) throws -> Result {
    var u = try store.user(input.user)
    let revoked = try input.id.map { [try Devices.revoke(&u, id: $0)] } ?? Devices.revokeAll(&u)
    for d in revoked.dropLast() { store.record(AccountEvent(.deviceRevoked, user: u, detail: ["device": d.id])) }
    try store.save(u, event: AccountEvent(.deviceRevoked, user: u, detail: ["device": revoked.last?.id ?? "none"]))
    try store.commit()
    return Result(user: u, revoked: revoked)
  }
}

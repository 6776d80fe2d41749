// `devices trust`, and the device `verify --trust-device` adds to an accepted sign-in.

/// What a device is trusted with: its name (Devices.validateName) and lifetime in
/// seconds (nil: Devices.defaultTTL).
public struct DeviceRequest {
  public var name: String
  public var ttl: Int64?
  public init(name: String, ttl: Int64? = nil) {
    self.name = name
    self.ttl = ttl
  }
}

/// A newly trusted device and its token, shown once.
public struct TrustedDeviceToken {
  public var token: String
  public var device: TrustedDevice
}

public enum TrustDevice {
  public struct Input {
    public var user: String
    public var device: DeviceRequest
    public init(user: String, device: DeviceRequest) {
      self.user = user
      self.device = device
    }
  }

  public struct Result {
    public var user: User
    public var trusted: TrustedDeviceToken
  }

  /// Trusts a device of an enabled user, with `device.trusted`. `reveal` shows the token
  /// before the commit, as in CreateSession.
  public static func run(_ store: AccountStore, _ input: Input, reveal: (Result) throws -> Void) throws -> Result {
    var u = try store.user(input.user)
    if u.disabled { throw AccountsError.userDisabled(u.name) }
    let trusted = try stage(store, &u, input.device)
    try store.save(u, event: trustedEvent(u, trusted))
    let result = Result(user: u, trusted: trusted)
    try reveal(result)
    try store.commit()
    return result
  }

  /// Adds the device to `u` (the caller saves `u`), the devices it evicts recorded as
  /// `device.evicted`.
  static func stage(_ store: AccountStore, _ u: inout User, _ request: DeviceRequest) throws -> TrustedDeviceToken {
    let r = try Devices.trust(
      &u, name: request.name, key: try store.tokenKey(), now: store.now, ttl: request.ttl, ip: store.actor.ip,
      userAgent: store.actor.userAgent)
    for d in r.evicted {
      store.record(
        AccountEvent(
          .deviceEvicted, user: u, detail: ["device": d.id, "reason": "more than \(Devices.maxPerUser) devices"]))
    }
    return TrustedDeviceToken(token: r.token, device: r.device)
  }

  static func trustedEvent(_ u: User, _ t: TrustedDeviceToken) -> AccountEvent {
    AccountEvent(.deviceTrusted, user: u, detail: ["device": t.device.id, "name": t.device.name])
  }
}

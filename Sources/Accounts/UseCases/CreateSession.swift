// `sessions create`, and the session `verify --session` adds to an accepted sign-in.

/// What a session is created with; durations in seconds (nil: the defaults, Sessions).
public struct SessionRequest {
  public var ttl: Int64?
  public var idle: Int64?
  public var remember: Bool
  public init(ttl: Int64? = nil, idle: Int64? = nil, remember: Bool = false) {
    self.ttl = ttl
    self.idle = idle
    self.remember = remember
  }
}

/// A new session and its token, shown once.
public struct CreatedSession {
  public var token: String
  public var session: Session
}

public enum CreateSession {
  public struct Input {
    public var user: String
    public var session: SessionRequest
    public init(user: String, session: SessionRequest) {
      self.user = user
      self.session = session
    }
  }

  public struct Result {
    public var user: User
    public var created: CreatedSession
  }

  /// Creates a session for an enabled user, with `session.created`. `reveal` shows the
  /// token before the commit: a token nobody could read is never stored (ARCHITECTURE.md,
  /// Rules, "Fail closed"); when it throws, nothing is committed.
  public static func run(_ store: AccountStore, _ input: Input, reveal: (Result) throws -> Void) throws -> Result {
    var u = try store.user(input.user)
    if u.disabled { throw AccountsError.userDisabled(u.name) }
    let created = try stage(store, &u, input.session, deviceName: nil)
    try store.save(u, event: AccountEvent(.sessionCreated, user: u, detail: ["session": created.session.id]))
    let result = Result(user: u, created: created)
    try reveal(result)
    try store.commit()
    return result
  }

  /// Adds the session to `u` (the caller saves `u`): indexed for `sessions check`, the
  /// sessions it evicts recorded as `session.evicted`.
  static func stage(_ store: AccountStore, _ u: inout User, _ request: SessionRequest, deviceName: String?) throws
    -> CreatedSession
  {
    try store.pruneExpired(&u)  // so dead sessions also leave the token index
    let r = try Sessions.create(
      &u, key: try store.tokenKey(), now: store.now, ttl: request.ttl, idle: request.idle, remember: request.remember,
      ip: store.actor.ip, userAgent: store.actor.userAgent, deviceName: deviceName)
    store.unindexSessions(r.evicted)
    for s in r.evicted {
      store.record(
        AccountEvent(
          .sessionEvicted, user: u, detail: ["session": s.id, "reason": "more than \(Sessions.maxLive) sessions"]))
    }
    store.indexSessions([r.session], of: u)
    return CreatedSession(token: r.token, session: r.session)
  }
}

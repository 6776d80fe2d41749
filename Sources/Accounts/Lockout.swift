// The lockout schedule, in one place (docs/guide.md, "Users": after 5 consecutive
// failures a user is locked for 1 min, doubling on each further failure, up to 1 h;
// success resets). Codes, recovery codes and challenge codes all record their outcome
// here, so they share one failure counter.

public enum Lockout {
  /// The failure that starts the first lockout.
  public static let threshold: UInt32 = 5
  public static let baseSeconds: Int64 = 60
  public static let maxSeconds: Int64 = 3600

  /// Lock length after `failures` consecutive failures: 0 below the threshold, then
  /// 60 s at the 5th, 120 s at the 6th, 240 s, ... capped at 3600 s (from the 11th on).
  public static func lockSeconds(failures: UInt32) -> Int64 {
    guard failures >= threshold else { return 0 }
    let doublings = failures - threshold
    // 60 << 6 = 3840 is already past the cap; avoid shifting further.
    if doublings >= 6 { return maxSeconds }
    return min(maxSeconds, baseSeconds << Int64(doublings))
  }

  /// A failed attempt, including a try made while locked out (which is refused without
  /// checking its code, and still counts). At and past the threshold the lock runs from
  /// `now` for `lockSeconds`; it never ends earlier than an already-running lock.
  public static func recordFailure(_ user: inout User, now: Int64) {
    if user.failures < UInt32.max { user.failures += 1 }
    let seconds = lockSeconds(failures: user.failures)
    guard seconds > 0 else { return }
    let until = now > Int64.max - seconds ? Int64.max : now + seconds
    user.lockedUntil = max(user.lockedUntil ?? Int64.min, until)
  }

  /// Whether a user may try a code at all.
  public enum Admission: Equatable {
    case admitted
    /// Refused; nothing was checked or changed.
    case disabled
    /// Refused without the code being checked; the try counted as a further failure,
    /// extending the lock to `until`.
    case locked(until: Int64)
  }

  /// The one place a disabled or locked user is refused, for every check of a code
  /// (sign-in, verify, recovery codes, enrolment, resync, diagnose), so that they cannot
  /// drift apart. Resync and diagnose pass `allowDisabled`: they are an administrator's
  /// tools and work on disabled users.
  public static func admit(_ user: inout User, now: Int64, allowDisabled: Bool = false) -> Admission {
    if user.disabled && !allowDisabled { return .disabled }
    if user.isLocked(at: now) {
      recordFailure(&user, now: now)
      return .locked(until: user.lockedUntil!)
    }
    return .admitted
  }

  /// A successful second factor: clears the failure count and any lock.
  public static func recordSuccess(_ user: inout User, now: Int64) {
    clear(&user)
    user.lastSuccessAt = now
  }

  /// `users unlock`: clears the failure count and any lock, nothing else.
  public static func clear(_ user: inout User) {
    user.failures = 0
    user.lockedUntil = nil
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Unix seconds as UTC calendar time, without Foundation's formatters (they load ICU and
/// cost start-up time): RFC 3339 (`2026-11-22T08:30:00Z`) or the compact form used in
/// file names (`20261122T083000Z`, sorts by time and needs no quoting).
public enum UTCTime {
  public static func format(_ t: Int64, compact: Bool = false) -> String {
    var tt = time_t(t)
    var tmv = tm()
    gmtime_r(&tt, &tmv)
    func pad(_ v: Int32, _ w: Int) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, w - s.count)) + s
    }
    let (d, c) = compact ? ("", "") : ("-", ":")
    return "\(pad(tmv.tm_year + 1900, 4))\(d)\(pad(tmv.tm_mon + 1, 2))\(d)\(pad(tmv.tm_mday, 2))T"
      + "\(pad(tmv.tm_hour, 2))\(c)\(pad(tmv.tm_min, 2))\(c)\(pad(tmv.tm_sec, 2))Z"
  }
}

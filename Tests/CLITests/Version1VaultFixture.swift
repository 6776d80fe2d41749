// A vault of format version 1, written by mfactl before format 2 (commit ed04872, the
// last one that wrote version 1): `init --generate-key-file`, `enrol alice --activate`,
// `sessions create alice`, `devices trust alice --name laptop`, `recovery-codes
// generate alice --count 3` and two `challenge send alice`, all at MFACTL_NOW =
// 1700000025 with MFACTL_INSECURE_TEST_KDF=1. The secrets it issued are below: the
// tests check that they still work after the upgrade to version 2 and after rekeys.
import Foundation

enum Version1Vault {
  static let now: Int64 = 1_700_000_025
  static let totpSecret = "WBSBAWPGY4E22IRIXDWAR3DK6OHUP2EL"
  static let sessionToken = "mfas_S3NQ2GDi4uI9Sla51hV6ytVVfDjlkIJzQuUgX_YCLuU"
  static let deviceToken = "mfad_rRWoM6SBnFv7-Cro8zDHZ62kZcsTYJMA8EP690OyRpw"
  static let recoveryCodes = ["8W4N1-2YHPH", "AXXJX-JQVDX", "P2FAB-8C9X3"]
  static let challengeCodes = ["247179", "960887"]

  static let keyFile = Data(base64Encoded: "1wCMXcN5Z/Eg9WdBF+pMsrPAJeI1rPHdsGyX/KmU+hs=")!

  static let vault = Data(
    base64Encoded: """
      TUZBVkFVTFQBAIAAAAAeVIFhm2r2n7mnEV3M6gtuGfFTZQAAAAABAuFqbHA3siWZ7Ju+P7hnte2PRupCTxIsIE4vT82sr6oX
      8mRlb+QYsRwEgQjoH1Gd1gfNOfPIJSzAEtz/x5EZDrog30GhrWfTW/qJDC5BikI3MxjM/5diOE12FjDV3Z3ekYMFWCQrJjpT
      Cwa5ok/DjqqoxK/e9BK1xwMAAACAy5M8Q+k2XD3QJnpIwcdcaAAAAC0mHoPPVRUZpNPccHpiM6aQKErmIrVgkvZtffp6XGPS
      aAIAAPVEZNF8qpJtfBqPfoGZPrKV93kFC9sg55dqsIQ2RH/DqAAAADc0cx88OaIJ/q/r7p3pafmAy5M8Q+k2XD3QJnpIwcdc
      aAEAAAAAAADj+gOiyTFhALfUAqpLFb2bLCnTndZdSLwNbEGYDks3vwBpa2794aFPHBsdsD3Ie4whoCXCRVFeubTGUYEBdmT1
      Kr609UHfsdHVAw1pzwBuptRQTRfH96XaQQiCjBBh+eW7nARy7AARY9cnVVFg+YiycR57kV6Tmmga/lJTU1yU+W+0qeSWR8kU
      xCTIVoBu7Ju9XHGF3eS7hi0mHoPPVRUZpNPccHpiM6Y72iWy4BsYYI8ObVm68I8J8X7Nz+hyo2wTHNpqf0wpmPNkAvjSU5sb
      g9ZrryYhlbl3iiBM8B4s+TXt5gi0q+npeMGi73uMnomqqmLnw8JAp9hBnZPkOWHaZfdp08/3dGgf8oX8izDzKzFpE0uV2GZJ
      6zrbQYABx05j7UZRe590no//BG7pWPQR+i5tV7S7CrbKMYnuyj97OSNSl9dmH2mAQQWCIj7htwo8QQeByghHPKUGEI1GkPYe
      eNnVbmAsLHwMd9hmmy4LbIS/jDAQlpRh20elFPZ06+EDvFfiEDvu54t5xS7JOgF0PIdKYP4rVTYGN5C9jzgl+bC0wJMUdiUv
      ebicKiI3GoYTzzu5h9QXXRxPmlaOh5bZRJOHtbAH0IpMgBppe/q9ljpGwUpSYaYrzbatMckSaO+wlJG0vMO4Nvilw1Umap/A
      sm7FemwQhyXKdnWgxqfDIoGnMkjKY5zaSHw7/gVT8UUWjge76iOvu3uYNAvKLmWGEDP6K3j/VoK+r9D9cUKSGqJGmsAjIBTS
      m+qZnsqJLXPHVj0+GJTX/pyn0YkQugB4t4BEVh6JE04SsJEs1gw7m3KwdobhHQbpenV1+Q2hnNoUs0CRiERCA2EHC8up2KwQ
      WumYweDOoUVmJqz9SvLVYgSyhWfmpqgc+48I0w31QDQZNJ+GbSsQWiMPzN16swlJNR7gEtNZJtvJaLJRYYqyad8rKaL0zroJ
      WkiZutY6RXe2jWhCPl8q6earU/EbbEBwSvK8afWVTwRA2EJOQbU52Bmv1KtC2LRqCeubYyPQm0H1RGTRfKqSbXwaj36BmT6y
      kWoHheXxJNlUvnA58OEFyRDojIietIaiWM+Av+4e/nQls4ducZ0bk1in1Out8lFBg7d8GV7Fu5VkloxL3J8RXVRNx4lzWtE+
      dqAV8o6LQtavhB8uuAWpvckCNaPBsvjh6+mfh1QIQkGQ8u1FOB88izFYQD2TZ4rhRwieNJM+m2X8ZJxXcaIO9OkHf192mrPD
      xWpHE6eSOro3NHMfPDmiCf6v6+6d6Wn5
      """, options: .ignoreUnknownCharacters)!

  static let auditLog = Data(
    base64Encoded: """
      TUZBQVVESVQBAB5UgWGbavafuacRXczqC24AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABkAAAAAQAAAAAAAADBEDyNXQMzkLe9
      vCYHMfG6eNJkSawOETsMIeUzO4XejMAfoDsPrC5JdNnd5+9fAALDAWxdZy4+O4sb6mm2i8e/i7DRiDp/iaNDfHc2Aqhff76E
      8tTFjGbu6/Ba2O3kv1ZwyojbpQAAAAIAAAAAAAAALEQ7KsftUus1ujEy7yYrfKc7ddknsoMKZ370MP9jd5ovAYaAA75+Vkjz
      ImjrAsJWbZtkCONzFIYrDnZLgVS6zJN60ndw3MZWp1jb0kALU0j8NPgtT0UlXR9VQQU9evwylypBNNT6KP+dHlQ/WwRS//l4
      8ix8jaK5DFOf21yd88WIfmoNpm2q1yVV7sSCvuGjWeIxrC6YUOvQ1dUGtpPMlu++U5safgAAAAMAAAAAAAAA4rfIgS3m/H4i
      goGrJYUttc1905Y4pglSQpT5AqF0A+7yhbsE0xCXog6oZZ1+3tYLQKNo2ybvfR2+ywHYWy8RS46XMgEnLCiyDDPiNih6LWv4
      ZWv7Qo3n2v4gr6EYtk01bcc9dyBjlrR09Tju6w7zOgyT+3zrWHjhb5ysAhBXjgAAAAQAAAAAAAAAaloFfn2z6ErfPScCZJeD
      Nj8O5Yeq7nq58sEhNk6gH7CsgtXtA+gYdkmMQMdSBNwopo+MqGCmAgzN0tevQ3bPah3FcJbQ0cd27HDS2+3QovHNZo39Mti0
      fqo7j3YWZDloJkoeHUW/YlaCNfqVfzlyAj+oVxh+5ouMzyst+ZDIILgGp8L6V6tVacrRZjxJfI0AAAAFAAAAAAAAAFSTQeRu
      AR6rOFnW6O5kSPjdhaQluJ2/0tG7Kgq06JNxc/Kq3k1W0C5rb6VGJoY1OO1W5XM04eeETp3tV9ztEUOEug4hXCPg99o0oTv9
      4HbqwdG7gdLbDXLqpkXvZ93yXiYlnFIBIAKG60ktunURzxPIDBJ8Lv774qDG9zjLWBpG0vsHIchaEw4jZWRX/5UAAAAGAAAA
      AAAAAE/T9jxL41AALt3DVrOSO/KJsCTybkhFBshwLr/PcZfuuJXd3klR/enQEADW8q9RsCjW36NomAIY53WWcm+I42iZGbxw
      pltxkdndpO8H73ImHIjZ32RVrkSiDLN5uNVKMR3WGpK+znwgvGhhLByFeOgvFR3g7cd0XM5IZH1sttn0oc+l028Ce42RKdOb
      1h38EDjFpwJ4lQAAAAcAAAAAAAAAcgmr+3QM6BlYeCOYk7UkSbY82np0HyESDSu6AWK8CTybKpJI0vOES73ConcztRbqxC/E
      onJyz4rGg/fDMn+/8wduGE7+yPstlj7ydbmcp3aJLpO2+wO6ai9mFMumgWjMr1sKoz5cZkF3vedLlipdKIH0zrj3J6lA5GVl
      jc7G6YhCQXB3lZ6btfLd2823UZYs0EcOX6Y=
      """, options: .ignoreUnknownCharacters)!
}

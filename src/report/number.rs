//! Numbers written straight into a row's bytes, equal to what serde's CSV writer writes for them, without its
//! general float formatting: a value rounded to 4 decimals is an integer count of ten-thousandths, and printing
//! that is a few divisions where ryu's shortest-representation search is a few hundred instructions.

use super::schema::round4;

/// Below this magnitude a value of 4 decimals has at most 15 significant digits, which a double always keeps, so
/// its digits are also ryu's shortest: beyond it ryu writes fewer (`35570888464227.94`, not `…227.936`), and from
/// 1e16 an exponent. The fast path hands such values to ryu.
const FIXED_LIMIT: f64 = 1e11;

/// Appends `value` rounded to 4 decimals, exactly as `ryu` formats `round4(value)` (`0.2027`, `0.1`, `3.0`,
/// `-1.5`): the integer part, a point, and the decimals without trailing zeros but for one.
pub fn push_round4(value: f64, out: &mut Vec<u8>) {
    let rounded = round4(value);
    if !rounded.is_finite() || rounded.abs() >= FIXED_LIMIT {
        out.extend_from_slice(ryu::Buffer::new().format(rounded).as_bytes());
        return;
    }
    // `rounded` is a whole number of ten-thousandths, up to the float's error: round again to get it exactly.
    let tenths_of_milli = (rounded.abs() * 10_000.0).round() as u64;
    if rounded.is_sign_negative() {
        out.push(b'-');
    }
    let mut integer = itoa::Buffer::new();
    out.extend_from_slice(integer.format(tenths_of_milli / 10_000).as_bytes());
    out.push(b'.');
    let mut decimals = tenths_of_milli % 10_000;
    let mut digits = 4;
    while digits > 1 && decimals.is_multiple_of(10) {
        decimals /= 10;
        digits -= 1;
    }
    let mut cell = [b'0'; 4];
    for slot in cell[..digits].iter_mut().rev() {
        *slot = b'0' + (decimals % 10) as u8;
        decimals /= 10;
    }
    out.extend_from_slice(&cell[..digits]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn written(value: f64) -> String {
        let mut out = Vec::new();
        push_round4(value, &mut out);
        String::from_utf8(out).unwrap()
    }

    fn by_ryu(value: f64) -> String {
        ryu::Buffer::new().format(round4(value)).to_string()
    }

    #[test]
    fn round4_values_are_written_as_ryu_writes_them() {
        for (value, expected) in [
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (0.20273255, "0.2027"),
            (0.1, "0.1"),
            (0.00005, "0.0001"),
            (0.00004, "0.0"),
            (3.0, "3.0"),
            (5000.0, "5000.0"),
            (-1.23456, "-1.2346"),
            (123456789.00001, "123456789.0"),
            (1e16, "1e16"),
        ] {
            assert_eq!(written(value), expected, "{value}");
            assert_eq!(written(value), by_ryu(value), "{value}");
        }
    }

    /// A proptest of the rows found `35570888464227.94` written with a digit more than ryu's: a value of 4
    /// decimals past 1e11 has more digits than a double holds.
    #[test]
    fn values_of_more_than_fifteen_digits_are_written_as_ryu_writes_them() {
        assert_eq!(written(35570888464227.94), "35570888464227.94");
        let mut value = 9.0e10;
        while value < 1e17 {
            for x in [value, value + 0.1234, -value - 0.5, round4(value / 3.0)] {
                assert_eq!(written(x), by_ryu(x), "{x}");
            }
            value *= 1.37;
        }
    }

    proptest! {
        #[test]
        fn any_value_is_written_as_ryu_writes_its_rounding(value in -1e9f64..1e9) {
            prop_assert_eq!(written(value), by_ryu(value));
        }

        #[test]
        fn large_values_are_written_as_ryu_writes_their_rounding(value in -1e17f64..1e17) {
            prop_assert_eq!(written(value), by_ryu(value));
        }

        #[test]
        fn small_values_are_written_as_ryu_writes_their_rounding(value in -2.0f64..30.0) {
            prop_assert_eq!(written(value), by_ryu(value));
        }
    }
}

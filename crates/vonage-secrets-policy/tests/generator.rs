//! The generator: validity, length and alphabet of every output; uniformity (a chi-square test
//! of each symbol's frequency at each position over 50,000 outputs); no repeats.
//!
//! Uniform over *valid* secrets is not uniform per character: a string without a digit is
//! rejected more often than one without a capital, so digits are more frequent than letters at
//! every position (at 25 characters by about 1%, at 8 characters by tens of percent). The expected
//! frequencies below are computed exactly, by inclusion–exclusion, so the test also fails for
//! generators that are uniform per character but skip the rejection, or that plant one
//! character of each class.
//!
//! The significance level 0.001 is for the whole family of positions (Bonferroni: each position
//! is tested at 0.001 / length), so a correct generator fails a run about once in a thousand
//! (per test below), not once in forty.

use std::collections::HashSet;

use secrecy::ExposeSecret;
use vonage_secrets_policy::{Alphabet, Generator, generate, validate};

const SAMPLES: usize = 50_000;
const ALPHA: f64 = 0.001;

/// The class of an alphabet character: 0 lower, 1 upper, 2 digit, 3 symbol.
fn class(c: char) -> usize {
    match c {
        'a'..='z' => 0,
        'A'..='Z' => 1,
        '0'..='9' => 2,
        _ => 3,
    }
}

/// The exact probability of each alphabet character at any one position of a secret drawn
/// uniformly from the valid secrets of `length` over `alphabet`.
fn exact_marginals(alphabet: &str, length: usize) -> Vec<f64> {
    let k = alphabet.chars().count() as f64;
    let mut sizes = [0.0f64; 4];
    for c in alphabet.chars() {
        sizes[class(c)] += 1.0;
    }
    // Weight of a string whose given position holds a character of class `x`: the fraction of
    // fillings of the other `length - 1` positions that contain every required class that `x`
    // does not already supply (inclusion–exclusion over the missing classes).
    let weight = |x: usize| {
        let required: Vec<usize> = (0..3).filter(|&r| r != x).collect();
        let mut sum = 0.0;
        for subset in 0..(1u32 << required.len()) {
            let missing: f64 = required
                .iter()
                .enumerate()
                .filter(|&(i, _)| subset & (1 << i) != 0)
                .map(|(_, &r)| sizes[r])
                .sum();
            let sign = if subset.count_ones() % 2 == 0 {
                1.0
            } else {
                -1.0
            };
            sum += sign * ((k - missing) / k).powi(length as i32 - 1);
        }
        sum
    };
    let weights: Vec<f64> = alphabet.chars().map(|c| weight(class(c))).collect();
    let total: f64 = weights.iter().sum();
    weights.iter().map(|w| w / total).collect()
}

/// The upper-tail probability of a chi-square statistic `x` with `df` degrees of freedom
/// (Wilson–Hilferty's normal approximation, good to a few percent in the tails used here).
fn chi_square_p(x: f64, df: f64) -> f64 {
    let z = ((x / df).cbrt() - (1.0 - 2.0 / (9.0 * df))) / (2.0 / (9.0 * df)).sqrt();
    0.5 * erfc(z / std::f64::consts::SQRT_2)
}

/// The complementary error function (Numerical Recipes' `erfcc`, relative error < 1.2e-7).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// For each position, the chi-square p-value of the observed symbol counts against `expected`
/// probabilities.
fn p_values(counts: &[Vec<u64>], expected: &[f64], samples: usize) -> Vec<f64> {
    counts
        .iter()
        .map(|at_position| {
            let statistic: f64 = at_position
                .iter()
                .zip(expected)
                .map(|(&observed, &p)| {
                    let e = p * samples as f64;
                    (observed as f64 - e).powi(2) / e
                })
                .sum();
            chi_square_p(statistic, (expected.len() - 1) as f64)
        })
        .collect()
}

/// Counts of each alphabet symbol at each position.
fn tally(alphabet: &str, length: usize, outputs: &[String]) -> Vec<Vec<u64>> {
    let index: Vec<char> = alphabet.chars().collect();
    let mut counts = vec![vec![0u64; index.len()]; length];
    for s in outputs {
        for (position, c) in s.chars().enumerate() {
            let i = index.iter().position(|&a| a == c).expect("alphabet char");
            counts[position][i] += 1;
        }
    }
    counts
}

/// Whether `outputs` pass the chi-square test at every position (family-wise level `ALPHA`),
/// with the worst p-value and the per-position threshold.
fn uniformity(alphabet: &str, length: usize, outputs: &[String]) -> (bool, f64, f64, Vec<f64>) {
    let expected = exact_marginals(alphabet, length);
    let p = p_values(&tally(alphabet, length, outputs), &expected, outputs.len());
    let threshold = ALPHA / length as f64;
    let worst = p.iter().copied().fold(1.0, f64::min);
    (worst >= threshold, worst, threshold, p)
}

fn assert_uniform(alphabet: &str, length: usize, outputs: &[String]) {
    let (uniform, worst, threshold, p) = uniformity(alphabet, length, outputs);
    assert!(
        uniform,
        "a position's symbol frequencies are not uniform over valid secrets: p = {worst:e} < \
         {threshold:e} (all p: {p:?})"
    );
}

fn check_outputs(alphabet: Alphabet, length: usize, outputs: &[String]) {
    for s in outputs {
        assert!(validate(s).is_ok());
        assert_eq!(s.chars().count(), length);
        assert!(s.chars().all(|c| alphabet.chars().contains(c)));
    }
    let distinct: HashSet<&String> = outputs.iter().collect();
    assert_eq!(distinct.len(), outputs.len(), "two outputs are equal");
}

#[test]
fn generate_is_valid_unique_and_uniform() {
    let outputs: Vec<String> = (0..SAMPLES)
        .map(|_| generate().expose_secret().to_owned())
        .collect();
    check_outputs(Alphabet::Alphanumeric, 25, &outputs);
    assert_uniform(Alphabet::Alphanumeric.chars(), 25, &outputs);
}

#[test]
fn short_secrets_with_symbols_are_uniform_over_valid_secrets() {
    // At 8 characters the rejection visibly skews the per-character frequencies.
    let alphabet = Alphabet::AlphanumericAndSafeSymbols;
    let generator = Generator::new().length(8).unwrap().alphabet(alphabet);
    let outputs: Vec<String> = (0..SAMPLES)
        .map(|_| generator.generate().unwrap().expose_secret().to_owned())
        .collect();
    check_outputs(alphabet, 8, &outputs);
    assert_uniform(alphabet.chars(), 8, &outputs);
}

/// The test above can fail: it rejects three classic flawed generators.
#[test]
fn the_uniformity_test_rejects_biased_generators() {
    let alphabet: Vec<char> = Alphabet::Alphanumeric.chars().chars().collect();
    let mut random = RandomBytes::default();

    // 1. Modulo bias: `byte % 62` makes the first 8 symbols 5/4 as likely as the rest.
    let modulo: Vec<String> = (0..SAMPLES)
        .map(|_| {
            loop {
                let s: String = (0..25)
                    .map(|_| alphabet[usize::from(random.byte()) % alphabet.len()])
                    .collect();
                if validate(&s).is_ok() {
                    break s;
                }
            }
        })
        .collect();
    let (uniform, worst, ..) = uniformity(Alphabet::Alphanumeric.chars(), 25, &modulo);
    assert!(!uniform, "modulo bias went unnoticed: p = {worst:e}");

    // 2. "One of each class, then shuffle": valid by construction, but not uniform.
    let planted: Vec<String> = (0..SAMPLES)
        .map(|_| {
            let mut chars: Vec<char> = (0..5).map(|_| alphabet[random.below(62)]).collect();
            chars.push(alphabet[26 + random.below(26)]); // a-z
            chars.push(alphabet[random.below(26)]); // A-Z
            chars.push(alphabet[52 + random.below(10)]); // 0-9
            for i in (1..chars.len()).rev() {
                chars.swap(i, random.below(i + 1));
            }
            chars.into_iter().collect()
        })
        .collect();
    assert!(planted.iter().all(|s| validate(s).is_ok()));
    let (uniform, worst, ..) = uniformity(Alphabet::Alphanumeric.chars(), 8, &planted);
    assert!(
        !uniform,
        "planting one character of each class went unnoticed: p = {worst:e}"
    );

    // 3. Uniform characters without the rejection (and so sometimes invalid): at 8 characters
    // the frequencies differ from those over valid secrets.
    let unchecked: Vec<String> = (0..SAMPLES)
        .map(|_| (0..8).map(|_| alphabet[random.below(62)]).collect())
        .collect();
    let (uniform, worst, ..) = uniformity(Alphabet::Alphanumeric.chars(), 8, &unchecked);
    assert!(
        !uniform,
        "skipping the rejection went unnoticed: p = {worst:e}"
    );
}

#[test]
fn the_statistics_are_right() {
    // Tables: the 0.001 critical value of chi-square with 60 degrees of freedom is 99.607, with
    // 10 it is 29.588; the median with 61 is about 60.33.
    for (x, df, p) in [
        (99.607, 60.0, 0.001),
        (29.588, 10.0, 0.001),
        (60.33, 61.0, 0.5),
    ] {
        let got = chi_square_p(x, df);
        assert!((got - p).abs() / p < 0.1, "p({x}, {df}) = {got}, want {p}");
    }
    // Marginals sum to 1, are uniform within a class, and favour the rarest class.
    let m = exact_marginals(Alphabet::AlphanumericAndSafeSymbols.chars(), 8);
    assert!((m.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    let (lower, digit, symbol) = (m[26], m[52], m[62]);
    assert!(m[26..52].iter().all(|&p| (p - lower).abs() < 1e-15));
    assert!(digit > lower && lower > symbol, "{digit} {lower} {symbol}");
    // Even at 25 characters, about 1.5% of uniform strings lack a digit and are redrawn, so a
    // digit is more likely than a letter, by about 1.3% of its probability.
    let long = exact_marginals(Alphabet::Alphanumeric.chars(), 25);
    assert!((long.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    let ratio = long[52] / long[0];
    assert!(1.005 < ratio && ratio < 1.03, "{ratio}");
}

/// Test-only randomness for the flawed generators above, from the OS like the real one.
#[derive(Default)]
struct RandomBytes {
    block: Vec<u8>,
}

impl RandomBytes {
    fn byte(&mut self) -> u8 {
        if self.block.is_empty() {
            self.block = vec![0; 4096];
            getrandom::fill(&mut self.block).expect("OS randomness");
        }
        self.block.pop().unwrap_or_default()
    }

    fn below(&mut self, n: usize) -> usize {
        let limit = 256 - 256 % n;
        loop {
            let b = usize::from(self.byte());
            if b < limit {
                return b % n;
            }
        }
    }
}

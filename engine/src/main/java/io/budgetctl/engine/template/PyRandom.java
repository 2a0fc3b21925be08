package io.budgetctl.engine.template;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;

/**
 * Python's {@code random.Random(seed)} (CPython 3's Mersenne Twister, its seeding of an int or a str, and the
 * {@code randrange}/{@code choice} built on {@code getrandbits}), so that Ansible's {@code random(seed=...)} picks
 * what ansible-playbook picks: {@code 59 | random(seed=inventory_hostname)} spreads cron minutes over hosts, and
 * a host keeps its minute when its playbooks move here. Without a seed, Ansible draws from the system's randomness
 * (SystemRandom); so do we.
 */
final class PyRandom {
    private static final int N = 624;
    private static final int M = 397;
    private static final SecureRandom SYSTEM = new SecureRandom();

    /** The generator's state; null for the system's randomness (no seed). */
    private final int[] mt;
    private int index;

    private PyRandom(int[] mt) {
        this.mt = mt;
        this.index = N;
    }

    /** Python's {@code Random(seed)}, or {@code SystemRandom()} when {@code seed} is None. */
    static PyRandom of(Object seed, String who) {
        if (seed == null) {
            return new PyRandom(null);
        }
        PyRandom r = new PyRandom(new int[N]);
        r.initByArray(key(seed, who));
        return r;
    }

    /**
     * Random.seed's key: the 32-bit words of abs(n), least significant first; a str becomes the int of its UTF-8
     * bytes followed by their SHA-512 (seed version 2).
     */
    private static int[] key(Object seed, String who) {
        BigInteger n;
        if (seed instanceof Boolean b) {
            n = b ? BigInteger.ONE : BigInteger.ZERO;
        } else if (Py.isIntegral(seed)) {
            n = new BigInteger(seed.toString());
        } else if (seed instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            n = new java.math.BigDecimal(d).toBigInteger(); // hash(5.0) == 5: an integral float seeds as that int
        } else if (seed instanceof CharSequence) {
            byte[] text = Py.str(seed).getBytes(StandardCharsets.UTF_8);
            byte[] bytes = new byte[text.length + 64];
            System.arraycopy(text, 0, bytes, 0, text.length);
            System.arraycopy(sha512(text), 0, bytes, text.length, 64);
            n = new BigInteger(1, bytes);
        } else {
            throw new TemplateFailure(who + ": a seed must be an integer or a string, not " + Py.typeName(seed),
                    "e.g. seed=inventory_hostname");
        }
        n = n.abs();
        int words = Math.max(1, (n.bitLength() + 31) / 32);
        int[] key = new int[words];
        for (int i = 0; i < words; i++) {
            key[i] = n.shiftRight(32 * i).intValue();
        }
        return key;
    }

    private static byte[] sha512(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-512").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void initGenrand(int s) {
        mt[0] = s;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
    }

    private void initByArray(int[] key) {
        initGenrand(19650218);
        int i = 1;
        int j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) {
                j = 0;
            }
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x80000000;
    }

    /** MT19937's next 32 bits (genrand_uint32). */
    private int next32() {
        if (index >= N) {
            for (int k = 0; k < N; k++) {
                int y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
                mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
            }
            index = 0;
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    /** Python's getrandbits(k) for k up to 63: whole words first, the last one cut to its top bits. */
    private long bits(int k) {
        if (k <= 32) {
            return Integer.toUnsignedLong(next32()) >>> (32 - k);
        }
        long low = Integer.toUnsignedLong(next32());
        long high = Integer.toUnsignedLong(next32()) >>> (64 - k);
        return high << 32 | low;
    }

    /** A number in [0, n): Python's _randbelow (draw bit_length(n) bits until below n). */
    private long below(long n) {
        if (mt == null) {
            return SYSTEM.nextLong(n);
        }
        int k = 64 - Long.numberOfLeadingZeros(n);
        long r = bits(k);
        while (r >= n) {
            r = bits(k);
        }
        return r;
    }

    /** Python's randrange(start, stop, step), with its errors for an empty range or a zero step. */
    long randrange(long start, long stop, long step) {
        long width = stop - start;
        if (step == 1) {
            if (width > 0) {
                return start + below(width);
            }
            throw new TemplateFailure("empty range for randrange() (" + start + ", " + stop + ", " + width + ")",
                    "random on an integer n picks from 0 .. n-1, so n must be above the start");
        }
        if (step == 0) {
            throw new TemplateFailure("zero step for randrange()", "leave step out, or give one other than 0");
        }
        long n = step > 0 ? Math.floorDiv(width + step - 1, step) : Math.floorDiv(width + step + 1, step);
        if (n <= 0) {
            throw new TemplateFailure("empty range for randrange()", "the range from start to the value is empty");
        }
        return start + step * below(n);
    }

    /** Python's choice(seq). */
    Object choice(List<Object> seq) {
        if (seq.isEmpty()) {
            throw new TemplateFailure("Cannot choose from an empty sequence", "random needs a non-empty list");
        }
        return seq.get((int) below(seq.size()));
    }
}

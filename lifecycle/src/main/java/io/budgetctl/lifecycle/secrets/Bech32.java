package io.budgetctl.lifecycle.secrets;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/** BIP-173 Bech32 (not Bech32m), the encoding of age recipients ({@code age1...}) and identities. */
final class Bech32 {
    private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final int[] GEN = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};

    private Bech32() {
    }

    record Decoded(String hrp, byte[] data) {
    }

    static String encode(String hrp, byte[] data) {
        byte[] five = convert(data, 8, 5, true);
        byte[] checksum = checksum(hrp, five);
        StringBuilder sb = new StringBuilder(hrp).append('1');
        for (byte b : five) {
            sb.append(CHARSET.charAt(b));
        }
        for (byte b : checksum) {
            sb.append(CHARSET.charAt(b));
        }
        return sb.toString();
    }

    static Decoded decode(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        if (!s.equals(lower) && !s.equals(s.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("mixed case");
        }
        int pos = lower.lastIndexOf('1');
        if (pos < 1 || pos + 7 > lower.length()) {
            throw new IllegalArgumentException("separator '1' missing or misplaced");
        }
        String hrp = lower.substring(0, pos);
        byte[] values = new byte[lower.length() - pos - 1];
        for (int i = 0; i < values.length; i++) {
            int v = CHARSET.indexOf(lower.charAt(pos + 1 + i));
            if (v < 0) {
                throw new IllegalArgumentException("invalid character '" + lower.charAt(pos + 1 + i) + "'");
            }
            values[i] = (byte) v;
        }
        if (polymod(expand(hrp), values, new byte[0]) != 1) {
            throw new IllegalArgumentException("checksum does not match (mistyped key?)");
        }
        byte[] data = new byte[values.length - 6];
        System.arraycopy(values, 0, data, 0, data.length);
        return new Decoded(hrp, convert(data, 5, 8, false));
    }

    private static byte[] checksum(String hrp, byte[] data) {
        int mod = polymod(expand(hrp), data, new byte[6]) ^ 1;
        byte[] out = new byte[6];
        for (int i = 0; i < 6; i++) {
            out[i] = (byte) ((mod >>> (5 * (5 - i))) & 31);
        }
        return out;
    }

    private static byte[] expand(String hrp) {
        byte[] out = new byte[hrp.length() * 2 + 1];
        for (int i = 0; i < hrp.length(); i++) {
            out[i] = (byte) (hrp.charAt(i) >> 5);
            out[i + hrp.length() + 1] = (byte) (hrp.charAt(i) & 31);
        }
        return out;
    }

    private static int polymod(byte[]... parts) {
        int chk = 1;
        for (byte[] part : parts) {
            for (byte v : part) {
                int top = chk >>> 25;
                chk = ((chk & 0x1ffffff) << 5) ^ v;
                for (int i = 0; i < 5; i++) {
                    if (((top >>> i) & 1) != 0) {
                        chk ^= GEN[i];
                    }
                }
            }
        }
        return chk;
    }

    private static byte[] convert(byte[] in, int from, int to, boolean pad) {
        int acc = 0;
        int bits = 0;
        int max = (1 << to) - 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : in) {
            int v = b & 0xff;
            if ((v >>> from) != 0) {
                throw new IllegalArgumentException("invalid data");
            }
            acc = (acc << from) | v;
            bits += from;
            while (bits >= to) {
                bits -= to;
                out.write((acc >>> bits) & max);
            }
        }
        if (pad) {
            if (bits > 0) {
                out.write((acc << (to - bits)) & max);
            }
        } else if (bits >= from || ((acc << (to - bits)) & max) != 0) {
            throw new IllegalArgumentException("invalid padding");
        }
        return out.toByteArray();
    }
}

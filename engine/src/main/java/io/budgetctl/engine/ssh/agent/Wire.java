package io.budgetctl.engine.ssh.agent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The SSH wire encodings the agent protocol uses (RFC 4251 section 5): byte, uint32 and length-prefixed string.
 * {@link Out} builds a message, {@link In} reads one with every length checked against what is left, so a
 * malformed or hostile reply fails with {@link AgentException} instead of a huge allocation or an index error.
 */
final class Wire {
    private Wire() {
    }

    static final class Out {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        Out putByte(int b) {
            buf.write(b);
            return this;
        }

        Out putUInt32(long v) {
            buf.write((int) (v >>> 24) & 0xff);
            buf.write((int) (v >>> 16) & 0xff);
            buf.write((int) (v >>> 8) & 0xff);
            buf.write((int) v & 0xff);
            return this;
        }

        Out putString(byte[] s) {
            putUInt32(s.length);
            buf.write(s, 0, s.length);
            return this;
        }

        Out putString(String s) {
            return putString(s.getBytes(StandardCharsets.UTF_8));
        }

        byte[] bytes() {
            return buf.toByteArray();
        }
    }

    static final class In {
        private final byte[] data;
        private int pos;

        In(byte[] data) {
            this.data = data;
        }

        int readByte() throws AgentException {
            need(1);
            return data[pos++] & 0xff;
        }

        long readUInt32() throws AgentException {
            need(4);
            long v = ((long) (data[pos] & 0xff) << 24) | ((data[pos + 1] & 0xff) << 16)
                    | ((data[pos + 2] & 0xff) << 8) | (data[pos + 3] & 0xff);
            pos += 4;
            return v;
        }

        byte[] readString() throws AgentException {
            long len = readUInt32();
            if (len > data.length - pos) {
                throw new AgentException("malformed reply from the ssh-agent: a field of " + len
                        + " bytes in a message with " + (data.length - pos) + " bytes left");
            }
            byte[] s = new byte[(int) len];
            System.arraycopy(data, pos, s, 0, s.length);
            pos += s.length;
            return s;
        }

        String readUtf8() throws AgentException {
            return new String(readString(), StandardCharsets.UTF_8);
        }

        int remaining() {
            return data.length - pos;
        }

        private void need(int n) throws AgentException {
            if (data.length - pos < n) {
                throw new AgentException("malformed reply from the ssh-agent: it ends early");
            }
        }
    }
}

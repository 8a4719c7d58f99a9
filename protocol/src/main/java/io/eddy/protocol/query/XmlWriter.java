package io.eddy.protocol.query;

import java.nio.charset.StandardCharsets;

/**
 * A minimal streaming XML writer for responses. Text is escaped so that an XML parser returns it
 * unchanged: besides the markup characters, carriage returns are written as {@code &#xD;} because
 * parsers would otherwise normalise them away.
 */
public final class XmlWriter {

    private final StringBuilder out = new StringBuilder(512);

    public XmlWriter declaration() {
        out.append("<?xml version=\"1.0\"?>");
        return this;
    }

    public XmlWriter start(String name) {
        out.append('<').append(name).append('>');
        return this;
    }

    public XmlWriter start(String name, String xmlns) {
        out.append('<').append(name).append(" xmlns=\"");
        escape(xmlns);
        out.append("\">");
        return this;
    }

    public XmlWriter end(String name) {
        out.append("</").append(name).append('>');
        return this;
    }

    public XmlWriter empty(String name) {
        out.append('<').append(name).append("/>");
        return this;
    }

    /** {@code <name>text</name>}. */
    public XmlWriter element(String name, String text) {
        start(name);
        escape(text);
        return end(name);
    }

    public XmlWriter text(String text) {
        escape(text);
        return this;
    }

    public byte[] toBytes() {
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void escape(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\r' -> out.append("&#xD;");
                default -> out.append(c);
            }
        }
    }
}

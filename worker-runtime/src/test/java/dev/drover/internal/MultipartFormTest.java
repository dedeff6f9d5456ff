package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.http.Request;
import dev.drover.http.UploadedFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** multipart/form-data bodies as browsers, curl and old Windows clients write them. */
class MultipartFormTest {
    private static final String TYPE = "multipart/form-data; boundary=XyZ";

    private static MultipartForm parse(String body) {
        return MultipartForm.parse(body.getBytes(StandardCharsets.UTF_8), TYPE);
    }

    private static String file(String disposition, String content) {
        return "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; " + disposition + "\r\nContent-Type: text/plain\r\n\r\n" + content + "\r\n";
    }

    /** Netty's decoder turned {@code Invoice, March.pdf} into {@code Invoice  March.pdf}: PHP keeps every byte. */
    @Test
    void aFileNameIsKeptAsTheClientGaveIt() {
        String[][] cases = {
            {"filename=\"Invoice, March.pdf\"", "Invoice, March.pdf"},
            {"filename=\"report 10:30.txt\"", "report 10:30.txt"},
            {"filename=\"a;b,c=d.txt\"", "a;b,c=d.txt"},
            {"filename=\"C:\\dir\\x.txt\"", "C:\\dir\\x.txt"},
            {"filename=\"say \\\"hi\\\".txt\"", "say \"hi\".txt"},
            {"filename=\"отчёт.pdf\"", "отчёт.pdf"},
            {"filename=plain.txt", "plain.txt"},
            {"filename=\"x.txt\"; filename*=UTF-8''%E2%82%AC+1.txt", "€+1.txt"},
        };
        for (String[] c : cases) {
            List<UploadedFile> files = parse(file(c[0], "body") + "--XyZ--\r\n").files();
            assertEquals(1, files.size(), c[0]);
            assertEquals(c[1], files.get(0).fileName(), c[0]);
            assertEquals("f", files.get(0).field());
            assertEquals("body", new String(files.get(0).content(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void fieldsAndFilesInOrderWithContentAsSent() {
        byte[] binary = {0, '\r', '\n', '-', '-', 'X', 'y', (byte) 0xff, '\r', '\n'};
        String head = "preamble\r\n--XyZ\r\ncontent-disposition: form-data; name=\"title\"\r\n\r\nre: \"it\"\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"tags[]\"\r\n\r\na\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"tags[]\"\r\n\r\n\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"up[]\"; filename=\"1.bin\"\r\n\r\n";
        String tail = "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"none\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n"
                + "--XyZ\r\nContent-Disposition: attachment\r\n\r\nno name\r\n--XyZ--\r\nepilogue";
        byte[] body = concat(head.getBytes(StandardCharsets.UTF_8), binary, tail.getBytes(StandardCharsets.UTF_8));
        MultipartForm form = MultipartForm.parse(body, "Multipart/Form-Data; charset=utf-8; boundary=\"XyZ\"");
        assertEquals(Map.of("title", List.of("re: \"it\""), "tags[]", List.of("a", "")), form.fields());
        assertEquals(1, form.files().size(), "an input left empty and a part without a name are none");
        UploadedFile up = form.files().get(0);
        assertEquals("up[]", up.field());
        assertEquals("application/octet-stream", up.contentType(), "a part without a type");
        assertArrayEquals(binary, up.content());
    }

    /** At most Request.MAX_PARAMETERS field values and MAX_FILES files are read, as PHP's max_input_vars and Workerman's maxFileUploads. */
    @Test
    void fieldsAndFilesPastTheirBoundsAreDropped() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < Request.MAX_PARAMETERS + 3; i++) {
            body.append("--XyZ\r\nContent-Disposition: form-data; name=\"k").append(i).append("\"\r\n\r\nv\r\n");
        }
        for (int i = 0; i < MultipartForm.MAX_FILES + 3; i++) {
            body.append(file("filename=\"" + i + ".txt\"", "c"));
        }
        MultipartForm form = parse(body + "--XyZ--");
        assertEquals(Request.MAX_PARAMETERS, form.fields().size());
        assertEquals(MultipartForm.MAX_FILES, form.files().size());
        assertEquals((MultipartForm.MAX_FILES - 1) + ".txt", form.files().get(MultipartForm.MAX_FILES - 1).fileName());
    }

    @Test
    void theFirstDelimiterMayOpenTheBodyOrFollowAPreamble() {
        assertEquals(List.of("v"), parse("--XyZ\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\nv\r\n--XyZ--").fields().get("k"));
        assertEquals(List.of("v"), parse("\r\n--XyZ\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\nv\r\n--XyZ--").fields().get("k"));
        assertEquals(Map.of(), parse("--XyZ--\r\n").fields(), "no parts");
    }

    @Test
    void aBodyThatIsNotMultipartIsRefusedWith400NamingWhy() {
        String[][] cases = {
            {"multipart/form-data", "--XyZ--", "names no boundary"},
            {TYPE, "a=1&b=2", "boundary 'XyZ' is not in the body"},
            {TYPE, "--XyZ\r\nContent-Disposition: form-data; name=\"k\"\r\n", "cut off before its headers end"},
            {TYPE, "--XyZ\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\nvalue", "cut off before its closing boundary"},
            {"multipart/form-data; boundary=" + "b".repeat(201), "--", "names no boundary of 1 to 200 characters"},
            {TYPE, "--XyZ\r\nX-Long: " + "h".repeat(20_000) + "\r\n\r\nv\r\n--XyZ--", "a part's headers are over 16384 bytes"},
        };
        for (String[] c : cases) {
            RequestHeadRules.Refused refused = assertThrows(RequestHeadRules.Refused.class,
                    () -> MultipartForm.parse(c[1].getBytes(StandardCharsets.UTF_8), c[0]), c[1]);
            assertEquals(400, refused.status().code());
            assertTrue(refused.getMessage().startsWith("multipart/form-data body refused: ") && refused.getMessage().contains(c[2]),
                    refused.getMessage());
        }
    }

    /** A delimiter right after a part's blank line borrows its CRLF: an empty part, not an exception. */
    @Test
    void aPartEndingAtItsBlankLineIsEmpty() {
        assertEquals(List.of(""), parse("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n--XyZ--").fields().get("a"));
        assertEquals(Map.of(), parse("--XyZ\r\n\r\n--XyZ--").fields(), "no headers, no name: nothing to file");
    }

    /** Any prefix of a body is a form or a 400: nothing else escapes to end the connection without an answer. */
    @Test
    void everyCutOfABodyIsReadOrRefused() {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n" + file("filename=\"x, y.txt\"", "zz") + "--XyZ--\r\n";
        for (int cut = 0; cut <= body.length(); cut++) {
            try {
                parse(body.substring(0, cut));
            } catch (RequestHeadRules.Refused refused) {
                assertEquals(400, refused.status().code());
            }
        }
    }

    /** A part's header of many parameters without values is read in one pass: it took time quadratic in its length. */
    @Test
    @Timeout(10) // quadratic, it would take days
    void aHeaderOfManyEmptyParametersIsReadInOnePass() {
        String header = "form-data" + ";".repeat(2_000_000) + "; name=\"k\"";
        assertEquals("k", MultipartForm.parameter(header, "name"));
        assertEquals(null, MultipartForm.parameter(header, "filename"));
    }

    @Test
    void parametersOfAHeaderValue() {
        String header = "form-data; flag; name=\"a;b\"; filename=x.txt; other=\"\\\\\"";
        assertEquals("a;b", MultipartForm.parameter(header, "name"));
        assertEquals("x.txt", MultipartForm.parameter(header, "FILENAME"));
        assertEquals("\\", MultipartForm.parameter(header, "other"));
        assertEquals(null, MultipartForm.parameter(header, "flag"));
        assertEquals(null, MultipartForm.parameter("form-data", "name"));
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}

/* test_lsp_text.c - the language server's text layer: positions in UTF-16,
 * UTF-8 and UTF-32 (surrogate pairs, invalid bytes, CRLF, clamping),
 * incremental edits, file URIs, and the message framing (split feeds, bad headers, an oversized body skipped
 * across feeds). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rpc.h"
#include "text.h"

static void positions(void)
{
    /* "a" + U+00E9 (2 bytes) + U+1D11E (4 bytes, a surrogate pair) + "b" */
    const char *t = "line0\r\na\xc3\xa9\xf0\x9d\x84\x9e" "b\nend";
    size_t len = strlen(t);
    size_t l1 = 7;   /* offset of line 1 */
    CHECK(sl_lsp_offset(t, len, 1, 0, SL_ENC_UTF16) == l1, "start of line 1");
    CHECK(sl_lsp_offset(t, len, 1, 2, SL_ENC_UTF16) == l1 + 3, "after e-acute (1 unit)");
    CHECK(sl_lsp_offset(t, len, 1, 4, SL_ENC_UTF16) == l1 + 7, "after the pair (2 units)");
    CHECK(sl_lsp_offset(t, len, 1, 3, SL_ENC_UTF16) == l1 + 7, "inside a pair moves past it");
    CHECK(sl_lsp_offset(t, len, 1, 3, SL_ENC_UTF32) == l1 + 7, "UTF-32 counts code points");
    CHECK(sl_lsp_offset(t, len, 1, 3, SL_ENC_UTF8) == l1 + 3, "UTF-8 counts bytes");
    CHECK(sl_lsp_offset(t, len, 1, 99, SL_ENC_UTF16) == l1 + 8, "past the end clamps to the line end");
    CHECK(sl_lsp_offset(t, len, 0, 99, SL_ENC_UTF16) == 5, "clamps before the CR of CRLF");
    CHECK(sl_lsp_offset(t, len, 9, 0, SL_ENC_UTF16) == len, "a line past the end: the end");
    CHECK(sl_text_units("a\xff" "b", 3, SL_ENC_UTF16) == 3, "an invalid byte is one unit");

    struct sl_lines li;
    sl_lines_build(&li, t, len);
    CHECK(li.n == 3, "three lines, got %zu", li.n);
    /* byte column 8 of line 2 (1-based) is just before 'b' */
    CHECK(sl_lines_char(&li, 2, 8, SL_ENC_UTF16) == 4, "to UTF-16: %u", sl_lines_char(&li, 2, 8, SL_ENC_UTF16));
    CHECK(sl_lines_char(&li, 2, 8, SL_ENC_UTF8) == 7, "to UTF-8");
    CHECK(sl_lines_char(&li, 2, 8, SL_ENC_UTF32) == 3, "to UTF-32");
    CHECK(sl_lines_char(&li, 2, 999, SL_ENC_UTF16) == 5, "clamped to the line");
    CHECK(sl_lines_char(&li, 7, 3, SL_ENC_UTF16) == 0, "a line that does not exist");
    sl_lines_free(&li);
}

static void edits(void)
{
    struct sl_text t = {0};
    sl_text_set(&t, "hello world", 11);
    sl_text_replace(&t, 6, 11, "there, friend", 13);
    CHECK(!strcmp(t.s, "hello there, friend"), "replace: %s", t.s);
    sl_text_replace(&t, 0, 0, ">> ", 3);
    CHECK(!strcmp(t.s, ">> hello there, friend"), "insert: %s", t.s);
    sl_text_replace(&t, 50, 60, "!", 1);
    CHECK(!strcmp(t.s, ">> hello there, friend!"), "past the end appends: %s", t.s);
    sl_text_replace(&t, 5, 2, "", 0);
    CHECK(t.len == strlen(t.s), "reversed range is safe");
    sl_text_free(&t);
}

static void uris(void)
{
    char *p = sl_uri_to_path("file:///tmp/a%20b/c%2B%2b.c");
    CHECK(p && !strcmp(p, "/tmp/a b/c++.c"), "percent-decoding: %s", p ? p : "(null)");
    free(p);
    p = sl_uri_to_path("file://localhost/x.c");
    CHECK(p && !strcmp(p, "/x.c"), "localhost host");
    free(p);
    CHECK(!sl_uri_to_path("untitled:Untitled-1"), "not a file URI");
    CHECK(!sl_uri_to_path("file://server/share/x.c"), "a remote host");
    CHECK(!sl_uri_to_path("file:///a%00b"), "an encoded NUL");
    char *u = sl_path_to_uri("/tmp/a b/é.c");
    CHECK(u && !strcmp(u, "file:///tmp/a%20b/%C3%A9.c"), "encoding: %s", u ? u : "(null)");
    p = sl_uri_to_path(u);
    CHECK(p && !strcmp(p, "/tmp/a b/é.c"), "round trip");
    free(p);
    free(u);
}

static void framing(void)
{
    struct sl_rpc_in in;
    sl_rpc_in_init(&in, 64);
    char *body, err[128];
    size_t len;
    const char *m = "Content-Length: 7\r\n\r\n{\"a\":1}";
    sl_rpc_in_feed(&in, m, 10);
    CHECK(sl_rpc_in_next(&in, &body, &len, err, sizeof err) == SL_RPC_MORE, "half a header");
    sl_rpc_in_feed(&in, m + 10, strlen(m) - 10 - 2);
    CHECK(sl_rpc_in_next(&in, &body, &len, err, sizeof err) == SL_RPC_MORE, "half a body");
    sl_rpc_in_feed(&in, m + strlen(m) - 2, 2);
    CHECK(sl_rpc_in_next(&in, &body, &len, err, sizeof err) == SL_RPC_MESSAGE && len == 7 &&
          !strcmp(body, "{\"a\":1}"), "the message");
    free(body);
    const char *bad = "Content-Length: x1\r\n\r\nContent-Type: a\r\n\r\n";
    sl_rpc_in_feed(&in, bad, strlen(bad));
    CHECK(sl_rpc_in_next(&in, &body, &len, err, sizeof err) == SL_RPC_BAD_FRAME && strstr(err, "invalid"),
          "a bad length: %s", err);
    CHECK(sl_rpc_in_next(&in, &body, &len, err, sizeof err) == SL_RPC_BAD_FRAME && strstr(err, "no Content-Length"),
          "no length: %s", err);
    /* 100 bytes over a 64-byte limit, arriving in pieces, then a good one */
    sl_rpc_in_feed(&in, "content-length: 100\r\n\r\n", 23);
    char junk[40];
    memset(junk, 'j', sizeof junk);
    CHECK(sl_rpc_in_next(&in, &body, &len, err, sizeof err) == SL_RPC_BAD_FRAME && strstr(err, "limit"),
          "oversized: %s", err);
    sl_rpc_in_feed(&in, junk, 40);
    sl_rpc_in_feed(&in, junk, 40);
    sl_rpc_in_feed(&in, junk, 20);
    sl_rpc_in_feed(&in, "\r\nContent-Length: 2\n\n{}", 23);
    CHECK(sl_rpc_in_next(&in, &body, &len, err, sizeof err) == SL_RPC_MESSAGE && !strcmp(body, "{}"),
          "the next message after the skipped body (LF-only headers)");
    free(body);
    CHECK(sl_rpc_in_next(&in, &body, &len, err, sizeof err) == SL_RPC_MORE, "nothing left");
    char big[9000];
    memset(big, 'h', sizeof big);
    sl_rpc_in_feed(&in, big, sizeof big);
    CHECK(sl_rpc_in_next(&in, &body, &len, err, sizeof err) == SL_RPC_BAD_FRAME, "endless headers dropped");
    CHECK(sl_rpc_in_next(&in, &body, &len, err, sizeof err) == SL_RPC_MORE, "and forgotten");
    sl_rpc_in_free(&in);
}

int main(void)
{
    positions();
    edits();
    uris();
    framing();
    return CHECK_DONE();
}

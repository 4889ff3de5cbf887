"""A tiny OpenAI-compatible chat server on loopback, so tests run the real ChatOpenAI client path.

Replies are scripted: push strings (the assistant's content), ("status", 500) for an HTTP error,
("sleep", seconds, text) for a slow reply, ("drip", interval, text) for a server that sends its
answer a few bytes at a time with `interval` seconds between writes (each read is quick, the whole
reply takes for ever), or ("drip_headers", interval) for one that never finishes its headers.
Every request body is recorded in `.requests`.

ADVERSARIAL holds model answers that change what a clause says while citing it (每周 for 每月,
三次 for 1次, an added 不需要, an invented add-on, an injected figure), fake citations (full width,
bare labels), and text that must never reach a page as markup (links, images, HTML, ANSI escapes).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# name -> (model answer, a phrase of it that must never be shown as verified)
ADVERSARIAL = {
    "weekly_for_monthly": ("支委会一般每周召开1次[HG-21.1]。", "每周"),
    "three_for_one": ("支委会一般每月召开三次[HG-21.1]。", "三次"),
    "negation_added": ("支委会不需要每月召开1次[HG-21.1]。", "不需要"),
    "softener_dropped_made_mandatory": ("支委会必须每月召开1次[HG-21.1]。", "必须"),
    "invented_add_on": ("支委会一般每月召开1次，须报国资委审批并由董事长主持[HG-21.1]。", "国资委"),
    "wrong_subject": ("党委会一般每月召开1次[HG-21.1]。", "党委会"),
    "quarterly_for_monthly": ("支委会一般每季召开1次[HG-21.1]。", "每季"),
    "injected_percent": ("党建工作经费按不低于上年度职工工资总额的百分之十标准[SS-12.1]。", "百分之十"),
    "ceiling_for_floor": ("党委成员进入董事会不超过总人数的30%[SS-2.3]。", "不超过"),
    "range_end_changed": ("党建工作经费按不低于上年度职工工资总额的0.5%-5%标准[SS-12.1]。", "0.5%-5%"),
    "full_width_fake_id": ("支委会一般每月召开1次〔ＨＧ－９９．９〕。", "ＨＧ－９９"),
    "fake_label": ("支委会一般每月召开1次〔河钢标准 第99条第9款〕。", "第99条"),
    "bare_fake_id": ("支委会一般每月召开1次 HG-99.9。", "HG-99.9"),
    "every_two_months": ("支委会一般每两个月召开1次[HG-21.1]。", "每两个月"),
    "half_yearly_for_yearly": ("党支部每半年至少召开1次组织生活会[HG-21.2]。", "每半年"),
    "at_most_for_at_least": ("讲党课每季度最多开展1次[HG-21.1]。", "最多"),
    "other_documents_figure": ("纳入管理费用的党组织工作经费，一般按照职工工资总额0.5%-2%的比例安排[HG-37.1]。", "0.5%-2%的比例安排"),
    "injected_figure_in_chinese": ("党建工作经费按不低于上年度企业全年职工工资总额的百分之五标准[SS-12.1]。", "百分之五"),
}
# Text that must reach no page as a link, image, HTML or terminal escape.
MARKUP = ("支委会一般每月召开1次[HG-21.1]。详见 https://evil.example/a 和 [点这里](https://evil.example/b)"
          "![x](https://evil.example/i.png)<img src=x onerror=alert(1)><script>alert(2)</script>"
          "\x1b[31m红字\x1b[0m\u202e反向\x07。")


class FakeOpenAIServer:
    def __init__(self):
        self.replies: deque = deque()
        self.default_reply = "两份标准中没有找到相关规定。"
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self.send_error(404)
                    return
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                server.requests.append(body)
                reply = server.replies.popleft() if server.replies else server.default_reply
                if isinstance(reply, tuple) and reply[0] == "status":
                    self._json(reply[1], {"error": {"message": "scripted failure", "type": "server_error"}})
                    return
                if isinstance(reply, tuple) and reply[0] == "sleep":
                    time.sleep(reply[1])
                    reply = reply[2]
                if isinstance(reply, tuple) and reply[0] == "drip_headers":
                    for ch in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: " + b"a" * 10000:
                        self.wfile.write(bytes([ch]))
                        self.wfile.flush()
                        time.sleep(reply[1])
                    return
                if isinstance(reply, tuple) and reply[0] == "drip":
                    self._drip(body, reply[1], reply[2])
                    return
                if body.get("stream"):
                    self._stream(body, reply)
                else:
                    self._json(200, {
                        "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
                        "model": body.get("model", "fake"),
                        "choices": [{"index": 0, "finish_reason": "stop",
                                     "message": {"role": "assistant", "content": reply}}],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    })

            def _json(self, status: int, obj: dict):
                data = json.dumps(obj, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _drip(self, body: dict, interval: float, reply: str):
                """A valid reply, a few bytes per write, `interval` seconds apart."""
                if body.get("stream"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    for i, ch in enumerate(reply):
                        delta = {"content": ch} if i else {"role": "assistant", "content": ch}
                        self._event(body, delta, None)
                        time.sleep(interval)
                    self._event(body, {}, "stop")
                    self.wfile.write(b"data: [DONE]\n\n")
                    return
                data = json.dumps({
                    "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
                    "model": body.get("model", "fake"),
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": reply}}],
                }, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                for i in range(0, len(data), 4):
                    self.wfile.write(data[i:i + 4])
                    self.wfile.flush()
                    time.sleep(interval)

            def _stream(self, body: dict, reply: str):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                pieces = [reply[i:i + 8] for i in range(0, len(reply), 8)] or [""]
                for i, piece in enumerate(pieces):
                    delta = {"content": piece} if i else {"role": "assistant", "content": piece}
                    self._event(body, delta, None)
                self._event(body, {}, "stop")
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

            def _event(self, body: dict, delta: dict, finish):
                chunk = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
                         "model": body.get("model", "fake"),
                         "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
                self.wfile.write(b"data: " + json.dumps(chunk, ensure_ascii=False).encode() + b"\n\n")
                self.wfile.flush()

        class QuietServer(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                # A client that timed out on a scripted slow reply breaks the pipe; printing that
                # traceback would land in whatever test is capturing stderr at the time.
                pass

        self._httpd = QuietServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def start(self) -> "FakeOpenAIServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

"""An XSS corpus: strings that would run script, load a marker URL or log a marker if a page
ever let one through unescaped (or a sanitiser missed it).

Every payload does one of three visible things when it works: opens a dialog, logs MARKER to
the console, or requests a URL containing MARKER. The browser suite watches for all three.
"""

from __future__ import annotations

MARKER = "xss-marker"
JS = f"alert('{MARKER}')"
LOG = f"console.log('{MARKER}')"
URL = f"/{MARKER}/"

# Elements and handlers that run script as soon as they are parsed or rendered.
_ELEMENTS = [
    f"<script>{JS}</script>",
    f"<SCRIPT>{JS}</SCRIPT>",
    f"<script >{LOG}</script >",
    f'<script src="{URL}script.js"></script>',
    f"<script>/*</script><script>{JS}//*/</script>",
    f"<scr<script>ipt>{JS}</scr</script>ipt>",
    f"<img src=x onerror={JS}>",
    f'<img src="x" onerror="{JS}">',
    f"<img src=x:x onerror=javascript:{JS}>",
    f'<img src="{URL}img.png">',
    f"<image src=x onerror={JS}>",
    f"<svg onload={JS}>",
    f"<svg/onload={JS}>",
    f"<svg><script>{JS}</script></svg>",
    f"<svg><animate onbegin={JS} attributeName=x dur=1s>",
    f'<svg><a xlink:href="javascript:{JS}"><text x=20 y=20>x</text></a></svg>',
    '<svg><use href="data:image/svg+xml,<svg id=x xmlns=http://www.w3.org/2000/svg>'
    f'<image href=1 onerror={JS} /></svg>#x"/></svg>',
    f'<image href=1 onerror={JS} /></svg>#x"/></svg>',
    f"<math><mtext><table><mglyph><style><img src=x onerror={JS}>",
    f"<body onload={JS}>",
    f'<iframe src="javascript:{JS}"></iframe>',
    f'<iframe srcdoc="<script>{JS}</script>"></iframe>',
    f'<iframe src="{URL}frame"></iframe>',
    f'<object data="javascript:{JS}"></object>',
    f'<object data="{URL}object"></object>',
    f'<embed src="{URL}embed">',
    f"<details open ontoggle={JS}>",
    f"<input autofocus onfocus={JS}>",
    f"<select autofocus onfocus={JS}></select>",
    f"<textarea autofocus onfocus={JS}></textarea>",
    f"<keygen autofocus onfocus={JS}>",
    f"<video><source onerror={JS}></video>",
    f"<audio src=x onerror={JS}>",
    f'<video poster="{URL}poster.png"></video>',
    f"<marquee onstart={JS}>x</marquee>",
    f'<div style="background:url({URL}style.png)">x</div>',
    f'<div style="width:expression({JS})">x</div>',
    f"<style>@import '{URL}import.css';</style>",
    f"<style>body{{background:url({URL}css.png)}}</style>",
    f'<link rel="stylesheet" href="{URL}link.css">',
    f'<link rel="prefetch" href="{URL}prefetch">',
    f'<meta http-equiv="refresh" content="0;url=javascript:{JS}">',
    f'<meta http-equiv="refresh" content="0;url={URL}refresh">',
    f'<base href="{URL}base/">',
    f'<form action="javascript:{JS}"><button autofocus>x</button></form>',
    f'<form><button formaction="javascript:{JS}" autofocus>x</button></form>',
    f"<isindex type=image src=1 onerror={JS}>",
    f'<table background="{URL}table.png"><tr><td>x</td></tr></table>',
    f'<noscript><p title="</noscript><img src=x onerror={JS}>">',
    f"<template><script>{JS}</script></template><img src=x onerror={JS}>",
    f'<div hx-get="{URL}htmx" hx-trigger="load">x</div>',
    f'<div hx-on:htmx:load="{JS}">x</div>',
    f'<div hx-on::load="{JS}" hx-get="{URL}htmx-on" hx-trigger="load">x</div>',
    f'<a href="{URL}a" ping="{URL}ping">x</a>',
]

# URLs that run script or smuggle markup when put in a link.
_URLS = [
    f"javascript:{JS}",
    f"JaVaScRiPt:{JS}",
    f"java\tscript:{JS}",
    f"java\nscript:{JS}",
    f" javascript:{JS}",
    f"javascript&colon;{JS}",
    f"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;{JS}",
    f"&#x6A;avascript:{JS}",
    f"javascript:/*--></title></style></textarea></script><svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+{JS}//'>",
    f"data:text/html,<script>{JS}</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzLW1hcmtlcicpPC9zY3JpcHQ+",
    f"data:image/svg+xml,<svg onload={JS}>",
    f"vbscript:msgbox('{MARKER}')",
]
_LINKS = [f'<a href="{url}">x</a>' for url in _URLS] + [f"<a href={url}>x</a>" for url in _URLS[:4]]

# Breaking out of the attribute, element or block a value may be printed inside.
_BREAKOUTS = [
    f'"><script>{JS}</script>',
    f"'><script>{JS}</script>",
    f'" onmouseover="{JS}" autofocus onfocus="{JS}" x="',
    f"' autofocus onfocus='{JS}' x='",
    f'" autofocus onfocus={JS} x="',
    f'"><img src=x onerror={JS}>',
    f"'><img src=x onerror={JS}>",
    f"</title><script>{JS}</script>",
    f"</textarea><script>{JS}</script>",
    f"</style><script>{JS}</script>",
    f"</script><script>{JS}</script>",
    f"</script><img src=x onerror={JS}>",
    f'</script><script>{JS}</script><script type="application/ld+json">',
    f'"}}</script><script>{JS}</script>',
    f"<!--<script>{JS}</script>-->",
    f"--><script>{JS}</script>",
    f"<!-- --!><script>{JS}</script>",
    f"]]><script>{JS}</script>",
    f"<![CDATA[<script>{JS}</script>]]>",
    f"</option></select><img src=x onerror={JS}>",
    f"</noscript><img src=x onerror={JS}>",
    f"</li></ul><img src=x onerror={JS}>",
    f"</a><img src=x onerror={JS}>",
    f'\\";{JS};//',
    f"';{JS};//",
    f'";{JS};//',
    f"`;{JS};//",
    f"</p></div></article><svg onload={JS}>",
    f"<p>ok</p><img src=x onerror={JS}>",
]

# Strings a server- or client-side template engine would evaluate.
_TEMPLATES = [
    "{{ 7*7 }}",
    "{% debug %}",
    "{% load static %}{% get_static_prefix %}",
    "{{ request.user.password }}",
    "{{ settings.SECRET_KEY }}",
    f"{{{{constructor.constructor('{JS}')()}}}}",
    f"${{{JS}}}",
    f"#{{{JS}}}",
    "<%= 7*7 %>",
    f"[[{JS}]]",
    f"{{{{'a'.constructor.prototype.charAt=[].join;$eval('x={JS}');}}}}",
    f"<div v-html=\"'<img src=x onerror={JS}>'\"></div>",
    f'<div ng-app ng-csp><div ng-focus="{JS}" tabindex=0 autofocus>x</div></div>',
    "{{7*'7'}}",
    "{%raw%}{{ 7*7 }}{%endraw%}",
]

# The same ideas, encoded: only a decoder applied at the wrong place would make them work.
_ENCODINGS = [
    f"&lt;script&gt;{JS}&lt;/script&gt;",
    f"&amp;lt;script&amp;gt;{JS}&amp;lt;/script&amp;gt;",
    f"&#60;script&#62;{JS}&#60;/script&#62;",
    f"&#x3C;script&#x3E;{JS}&#x3C;/script&#x3E;",
    f"&#0000060;script&#0000062;{JS}&#0000060;/script&#0000062;",
    f"%3Cscript%3E{JS}%3C/script%3E",
    f"%253Cscript%253E{JS}%253C/script%253E",
    f"\\u003cscript\\u003e{JS}\\u003c/script\\u003e",
    f"\\x3cscript\\x3e{JS}\\x3c/script\\x3e",
    f"+ADw-script+AD4-{JS}+ADw-/script+AD4-",
    f"\uff1cscript\uff1e{JS}\uff1c/script\uff1e",
    f"\u003cimg src=x onerror={JS}\u003e",
    f"<scr\u200bipt>{JS}</scr\u200bipt>",
    f"<img src=x one\u0072ror={JS}>",
    f"<img src=x onerror&#61;{JS}>",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>",
    f"<img src=x onerror=\\u0061lert('{MARKER}')>",
    "<img src=x onerror=eval(atob('YWxlcnQoJ3hzcy1tYXJrZXInKQ=='))>",
    f"<img src=x onerror=window['al'+'ert']('{MARKER}')>",
    f"<img src=x onerror=top[/al/.source+/ert/.source]('{MARKER}')>",
    f"<img src=`x`onerror={JS}>",
    f"<img/src/onerror={JS}>",
    f"<img\nsrc=x\nonerror={JS}>",
    f"<img\tsrc=x\tonerror={JS}>",
    f"<<script>script>{JS}<</script>/script>",
    f"<script\n>{JS}</script\n>",
    f"<ScRiPt>{JS}</sCrIpT>",
    f"\u202e<script>{JS}</script>",
    f"\ufeff<script>{JS}</script>",
    f'<a href="&#x6a;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:{JS}">x</a>',
]

# Every way out of a value's context, in front of each of a few vectors that act on their own.
_CONTEXTS = [
    prefix + vector
    for prefix in ('">', "'>", "</textarea>", "</title>", "</script>")
    for vector in (
        f"<svg onload={JS}>",
        f"<details open ontoggle={LOG}>",
        f'<img src="{URL}ctx.png">',
        f'<div hx-get="{URL}ctx-htmx" hx-trigger="load">x</div>',
    )
]

# The payloads that get out of a quoted attribute value or the element around it.
BREAKOUTS: list[str] = _BREAKOUTS + _CONTEXTS

PAYLOADS: list[str] = list(
    dict.fromkeys(_ELEMENTS + _LINKS + _BREAKOUTS + _TEMPLATES + _ENCODINGS + _CONTEXTS)
)


def packed(limit: int, payloads: list[str] = PAYLOADS) -> list[str]:
    """The payloads joined (" | ") into as few strings of at most `limit` characters as fit.

    A field holds many payloads at once, so a page shows the whole corpus in few loads; a
    payload longer than the limit is cut to it (what the field would store anyway).
    """
    chunks: list[str] = []
    current = ""
    for payload in payloads:
        payload = payload[:limit]
        joined = f"{current} | {payload}" if current else payload
        if len(joined) <= limit:
            current = joined
        else:
            chunks.append(current)
            current = payload
    if current:
        chunks.append(current)
    return chunks

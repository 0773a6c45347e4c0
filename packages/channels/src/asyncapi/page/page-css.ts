/** The `/asyncapi` page's styles (system fonts: nothing is fetched). */
export const PAGE_CSS = `body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1b1f24;background:#fafbfc}
header{padding:1.5rem 2rem;background:#24292f;color:#fff}header h1{margin:0 0 .3rem}header p{margin:.2rem 0}header a{color:#9cd1ff}
main{padding:1rem 2rem;max-width:70rem}
section{margin-bottom:2rem}
.channel,.frame{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:1rem;margin:.8rem 0}
.channel h3,.frame h3{margin:0 0 .4rem;font-family:ui-monospace,monospace}
.address{font-family:ui-monospace,monospace;background:#eef1f4;padding:.1rem .4rem;border-radius:4px}
.access{display:inline-block;margin-left:.5rem;font-size:.85rem;padding:.1rem .5rem;border-radius:10px;background:#dafbe1}
.access.protected{background:#fff1c2}
pre{background:#f6f8fa;padding:.6rem;border-radius:4px;overflow:auto;font-size:.85rem}
form{display:flex;flex-wrap:wrap;gap:.8rem;align-items:flex-end}
label{display:flex;flex-direction:column;font-size:.85rem;gap:.2rem}
input,select,button,textarea{font:inherit;padding:.3rem .5rem}\n#publish-form{margin-top:.8rem}label.wide{flex:1 1 20rem}textarea{font-family:ui-monospace,monospace;font-size:.85rem}\n#publish-status.error{color:#b3261e}
#frames{font-family:ui-monospace,monospace;font-size:.85rem;padding-left:2rem}
#frames li{margin:.2rem 0;white-space:pre-wrap;word-break:break-all}
#frames li.error{color:#b3261e}#frames li.control{color:#57606a}#frames li.closed{color:#b3261e;font-style:italic}
`

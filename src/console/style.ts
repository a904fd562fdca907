/**
 * The console's whole stylesheet, inlined in each page (one request, no asset route). Colours
 * keep a 4.5:1 contrast or better; states are written out, never shown by colour alone.
 */
export const css = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#fff}
a{color:#0b57d0}
a:focus,button:focus,input:focus,select:focus,summary:focus{outline:3px solid #f59e0b;outline-offset:2px}
header{background:#16213e;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center}
header a{color:#fff;margin-right:.75rem}header a[aria-current]{font-weight:700;text-decoration-thickness:3px}
header form{margin-left:auto}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;color:#000;padding:.5rem}
main{max-width:64rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}h3{font-size:1.05rem;margin:1rem 0 .25rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #d0d7de;vertical-align:top}
th{background:#f3f5f8}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font:.9rem ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all}
pre{white-space:pre-wrap;background:#f3f5f8;padding:.5rem;max-height:30rem;overflow:auto}
dl{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.25rem 1rem;margin:0}dt{font-weight:600}dd{margin:0}
@media (max-width:30rem){dl{grid-template-columns:1fr;gap:0}dd{margin-bottom:.4rem}}
label{font-weight:600;display:block;margin:.5rem 0 .15rem}
label.inline{display:inline;font-weight:400}
input[type=text],input[type=password],input[type=search],input[type=date],select{font:inherit;padding:.4rem;border:1px solid #57606a;border-radius:4px;width:100%;max-width:28rem}
button,.button{font:inherit;padding:.4rem .9rem;border:1px solid #0b57d0;border-radius:4px;background:#0b57d0;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.quiet{background:#fff;color:#0b57d0}
header button{background:transparent;border-color:#fff}
.row{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end}
.state{font-weight:600;white-space:nowrap}.dead,.bad{color:#b42318}.delivered,.good{color:#116329}.not_attributed,.pending,.warn{color:#8a4b00}
.note{background:#f3f5f8;border-left:4px solid #57606a;padding:.5rem .75rem;margin:.75rem 0}
.alert{background:#fdecea;border-left:4px solid #b42318;padding:.5rem .75rem;margin:.75rem 0}
.chart{width:100%;max-width:30rem;height:auto;display:block;margin:.25rem 0 1rem}
section.card{border:1px solid #d0d7de;border-radius:6px;padding:.25rem 1rem 1rem;margin:1rem 0}
.card table{margin-top:.75rem}
`;

// Offline verification of a certificate QR code (contract: shared/contracts/certificate-qr.md).
//
// The QR text is https://<host>/v/<verification-id>#<payload>.<signature>. The fragment never reaches the
// server: this script checks the Ed25519 signature over the exact payload bytes with the published key set
// embedded in the page (#certificate-keys), and the payload's date against that key's [nbf, exp). It uses
// WebCrypto's Ed25519 where the browser has it, and otherwise the vendored @noble/ed25519 (MIT; with
// @noble/hashes' SHA-512, audited) from ./vendor/. No CDN, no network needed. When online, it then asks the
// server for the certificate's current status (valid / revoked / superseded).

const B64URL = /^[A-Za-z0-9_-]*$/;

export function b64urlDecode(text) {
  if (!B64URL.test(text) || text.length % 4 === 1) throw new Error("not base64url");
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  const binary = atob(b64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function b64urlEncode(bytes) {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function splitQrText(text) {
  text = (text || "").trim();
  let verificationId = "";
  let fragment = text;
  const hash = text.indexOf("#");
  if (hash >= 0) {
    const url = text.slice(0, hash);
    fragment = text.slice(hash + 1);
    const marker = url.lastIndexOf("/v/");
    if (marker >= 0) verificationId = url.slice(marker + 3).replace(/\/+$/, "");
  }
  const parts = fragment.split(".");
  if (parts.length !== 2) throw new Error("no payload.signature");
  return { verificationId, payloadB64: parts[0], signatureB64: parts[1] };
}

async function webCryptoVerify(publicKey, signature, message) {
  if (!globalThis.crypto || !crypto.subtle) return null;
  try {
    const key = await crypto.subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
    return await crypto.subtle.verify({ name: "Ed25519" }, key, signature, message);
  } catch (error) {
    return null; // this browser has no Ed25519 in WebCrypto (or no secure context): use the fallback
  }
}

async function nobleVerify(publicKey, signature, message) {
  const ed = await import("./vendor/noble-ed25519/index.js");
  const { sha512 } = await import("./vendor/noble-hashes/sha2.js");
  ed.hashes.sha512 = sha512;
  try {
    return ed.verify(signature, message, publicKey);
  } catch (error) {
    return false;
  }
}

export async function verifySignature(publicKey, signature, message, { forceFallback = false } = {}) {
  const viaWebCrypto = forceFallback ? null : await webCryptoVerify(publicKey, signature, message);
  if (viaWebCrypto !== null) return { ok: viaWebCrypto, engine: "WebCrypto" };
  return { ok: await nobleVerify(publicKey, signature, message), engine: "@noble/ed25519" };
}

// Returns {ok, reason, payload, verificationId, engine}. Same rules as certificates/qr.py verify_qr_text.
export async function verifyQrText(text, keySet, options = {}) {
  let parts, raw, signature, payload;
  try {
    parts = splitQrText(text);
    raw = b64urlDecode(parts.payloadB64);
    signature = b64urlDecode(parts.signatureB64);
    if (b64urlEncode(raw) !== parts.payloadB64 || b64urlEncode(signature) !== parts.signatureB64) {
      return { ok: false, reason: "编码不规范" };
    }
    payload = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
  } catch (error) {
    return { ok: false, reason: "格式错误" };
  }
  if (!payload || typeof payload !== "object" || payload.v !== 1) return { ok: false, reason: "版本不支持" };
  // On failure the decoded payload is returned as `claimed`: what the QR says, never to be trusted.
  const claimed = payload;
  const jwk = (keySet.keys || []).find((k) => k.kid === payload.kid);
  if (!jwk || jwk.kty !== "OKP" || jwk.crv !== "Ed25519") return { ok: false, reason: "签名密钥未知", claimed };
  if (signature.length !== 64) return { ok: false, reason: "签名无效", claimed };
  const { ok, engine } = await verifySignature(b64urlDecode(jwk.x), signature, raw, options);
  if (!ok) return { ok: false, reason: "签名无效", engine, claimed };
  const date = String(payload.date || "");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return { ok: false, reason: "日期无效", claimed };
  if (date < jwk.nbf || (jwk.exp && date >= jwk.exp)) {
    return { ok: false, reason: "签发日期不在该密钥的有效期内", engine, claimed };
  }
  return { ok: true, reason: "", payload, verificationId: parts.verificationId, engine };
}

const LABELS = [["no", "证书编号"], ["name", "姓名"], ["idm", "证件号码"], ["field", "职业/专业"],
  ["level", "等级"], ["org", "发证单位代码"], ["date", "发证日期"], ["kid", "签名密钥"]];
const KINDS = { skill: "职业技能等级证书", title: "专业技术资格证书（工程系列）" };

function fillFacts(facts, payload) {
  facts.replaceChildren();
  const rows = [["证书类别", KINDS[payload.kind] || payload.kind], ...LABELS.map(([key, label]) => [label, payload[key]])];
  for (const [label, value] of rows) {
    const dt = document.createElement("dt"); dt.textContent = label;
    const dd = document.createElement("dd"); dd.textContent = value ?? "";
    facts.append(dt, dd);
  }
  facts.hidden = false;
}

function show(box, result, statusUrl) {
  const verdict = box.querySelector('[data-role="verdict"]');
  const facts = box.querySelector('[data-role="payload"]');
  verdict.className = result.ok ? "sig-ok" : "sig-bad";
  verdict.dataset.result = result.ok ? "ok" : "bad";
  verdict.textContent = result.ok
    ? `签名有效：该二维码由发证单位签发，内容未被篡改（${result.engine}）。`
    : `签名核验未通过：${result.reason}。该二维码可能被篡改或不是本平台签发的。`;
  // The verdict is a live region (role=status); focus moves to it so that keyboard and screen-reader users
  // land on the result (issue 18, WCAG 4.1.3).
  verdict.focus();
  facts.replaceChildren();
  if (!result.ok) { facts.hidden = true; return; }
  fillFacts(facts, result.payload);
  if (statusUrl && navigator.onLine !== false) {
    fetch(statusUrl, { headers: { Accept: "application/json" } })
      .then((r) => r.json())
      .then((s) => {
        const dt = document.createElement("dt"); dt.textContent = "当前状态（在线）";
        const dd = document.createElement("dd"); dd.dataset.role = "online-status";
        // The verification id in the link is not signed: the status is only this certificate's when the record
        // found has the number the signed payload names (else a revoked QR could borrow a valid one's status).
        if (s.number !== result.payload.no) {
          dd.textContent = "无法确认：链接中的核验编号与二维码签名中的证书编号不符，该二维码可能被改动。";
          dd.className = "sig-bad";
        } else {
          dd.textContent = s.status_label + (s.revocation_reason ? `（${s.revocation_reason}）` : "")
            + (s.replacement_number ? `，更正后的证书编号：${s.replacement_number}` : "");
          dd.className = s.status === "valid" ? "sig-ok" : "sig-bad";
        }
        facts.append(dt, dd);
        if (s.number === result.payload.no && s.status !== "valid") {
          const note = document.createElement("p");
          note.className = "sig-bad";
          note.textContent = "注意：签名有效只说明二维码未被篡改；该证书当前已不再有效，以在线状态为准。";
          verdict.after(note);
        }
      })
      .catch(() => {});
  }
}

// The link's QR part failed the offline check: the whole status turns red, the server's record is shown as
// "系统中的记录" beside what the QR claims (issue 15 §14). A green banner must never stand above a forged QR.
function markTampered(box, result) {
  const banner = document.querySelector('[data-testid="certificate-status"]');
  if (banner) {
    banner.className = "cert-status cert-tampered";
    banner.dataset.tampered = "true";
    const title = document.createElement("strong");
    title.textContent = "二维码签名无效：该证书信息可能被篡改";
    const text = document.createElement("p");
    text.textContent = `原因：${result.reason}。请以下方“系统中的记录”为准；证书上与之不符的内容不可信。`
      + "如有疑问，请联系发证单位。";
    banner.replaceChildren(title, text);
  }
  const record = document.querySelector('[data-role="record-title"]');
  if (record) record.textContent = "系统中的记录";
  const compare = document.querySelector("[data-role=compare]");
  if (compare) compare.classList.add("side-by-side");
  box.querySelector("h2").textContent = "二维码中的内容（签名无效，不可信）";
  if (result.claimed) fillFacts(box.querySelector('[data-role="payload"]'), result.claimed);
}

async function init() {
  const keyElement = document.getElementById("certificate-keys");
  if (!keyElement) return;
  const keySet = JSON.parse(keyElement.textContent);
  for (const box of document.querySelectorAll("[data-cert-verifier]")) {
    if (box.dataset.mode === "fragment") {
      const fragment = location.hash.slice(1);
      if (!fragment) {
        box.querySelector('[data-role="verdict"]').textContent = "链接中没有二维码签名部分；以上为服务器返回的在线状态。";
        continue;
      }
      const result = await verifyQrText(location.href, keySet);
      if (result.ok && box.dataset.number && result.payload.no !== box.dataset.number) {
        result.ok = false;
        result.reason = "二维码中的证书编号与本页证书不符";
      }
      show(box, result, null);
      if (!result.ok) markTampered(box, result);
      if (result.ok && box.dataset.pageStatus !== "valid") {
        const note = document.createElement("p");
        note.className = "sig-bad";
        note.textContent = "注意：签名有效只说明二维码未被篡改；该证书当前已不再有效，以上方在线状态为准。";
        box.querySelector('[data-role="verdict"]').after(note);
      }
    } else {
      const input = box.querySelector('[data-role="input"]');
      const run = async () => {
        const result = await verifyQrText(input.value, keySet);
        const base = box.dataset.statusApiBase;
        const url = result.ok && result.verificationId && base ? base.replace("VID", result.verificationId) : null;
        show(box, result, url);
      };
      box.querySelector('[data-role="check"]').addEventListener("click", run);
      if (location.hash.length > 1) { input.value = location.href; run(); }
    }
  }
}

if (typeof document !== "undefined") init();

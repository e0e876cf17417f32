// The offline page: says the server cannot be reached (in the remembered language), checks every
// few seconds, and reloads the page the user asked for as soon as the server answers. On the stream
// overlay it stays fully transparent, so nothing but the picture goes on air.

const TEXT = {
  ru: {
    title: "Сервер Тыңдау сейчас недоступен",
    body: "Страница откроется сама, как только связь вернётся. Ничего не потеряно: все комментарии и отметки времени хранятся на сервере.",
    retry: "Проверить сейчас",
    checking: "Проверяем связь…",
    next: "Следующая проверка через {n} с.",
  },
  kk: {
    title: "Тыңдау сервері қазір қолжетімсіз",
    body: "Байланыс қалпына келгенде бет өздігінен ашылады. Ештеңе жоғалған жоқ: барлық пікірлер мен уақыт белгілері серверде сақталады.",
    retry: "Қазір тексеру",
    checking: "Байланыс тексерілуде…",
    next: "Келесі тексеру {n} с. кейін.",
  },
};
const EVERY = 5;

function langNow() {
  const fromUrl = new URLSearchParams(location.search).get("lang");
  let stored = null;
  try {
    stored = localStorage.getItem("tyndau.lang");
  } catch {
    stored = null;
  }
  return fromUrl === "kk" || (!fromUrl && stored === "kk") ? "kk" : "ru";
}

async function alive() {
  try {
    const res = await fetch("/healthz", { cache: "no-store" });
    return res.ok;
  } catch {
    return false;
  }
}

function main() {
  if (location.pathname.startsWith("/overlay")) document.documentElement.classList.add("transparent");
  const lang = langNow();
  const text = TEXT[lang];
  document.documentElement.lang = lang;
  document.title = text.title;
  document.getElementById("offline-title").textContent = text.title;
  document.getElementById("offline-body").textContent = text.body;
  const button = document.getElementById("offline-retry");
  button.textContent = text.retry;
  const status = document.getElementById("offline-status");
  let left = EVERY;
  const check = async () => {
    status.textContent = text.checking;
    if (await alive()) location.reload();
    left = EVERY;
  };
  button.addEventListener("click", check);
  setInterval(() => {
    left -= 1;
    if (left <= 0) check();
    else status.textContent = text.next.replace("{n}", String(left));
  }, 1000);
}

main();

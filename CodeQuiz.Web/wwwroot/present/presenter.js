// Keeps the static presenter page live: joins the event's group on /hubs/live with the token from the page,
// patches counters in place, runs the countdown on the server's clock, and fetches the page's markup again
// when the organizer opens or closes a question. Reconnects forever: a projector is left alone for hours.
(() => {
    "use strict";
    let stage = document.querySelector("[data-presenter]");
    if (!stage || !window.signalR) return;

    const token = stage.dataset.token;
    let phase = stage.dataset.phase;
    let shown = null; // what the stage's markup shows besides the counters and the countdown (see shapeOf)
    let clockOffset = 0; // server time minus this screen's time, so every screen counts down alike
    let swapping = false;
    let swapAgain = false;
    const count = n => String(n); // as QuizFormat.Count writes it on the server: no group separator

    const connection = new signalR.HubConnectionBuilder()
        .withUrl("/hubs/live")
        .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(10000, 1000 * (ctx.previousRetryCount + 1)) })
        .build();

    connection.on("state", apply);
    connection.on("revoked", () => location.reload());
    connection.onreconnecting(() => { document.documentElement.dataset.live = "reconnecting"; });
    connection.onreconnected(start);
    connection.onclose(() => { document.documentElement.dataset.live = "closed"; setTimeout(start, 5000); });
    // Until the hub is back, presenter.css dims the counts and, after a few seconds, says they may be behind.

    // Connects if it is not, then joins. A Join that fails on a connection that stays up (the database did not answer)
    // is asked again: connected but not joined, the screen would get no change at all. While the connection is being
    // re-established, the reconnection joins; an attempt left running beside it would call the screen cut off for ever.
    async function start() {
        try {
            if (connection.state === signalR.HubConnectionState.Disconnected)
                await connection.start();
            await join();
        } catch (e) {
            if (connection.state === signalR.HubConnectionState.Reconnecting) return; // onreconnected joins
            console.warn("presenter: connecting again in 5 s", e);
            document.documentElement.dataset.live = "closed"; // never connected, or not again: the numbers may be behind
            setTimeout(start, 5000);
        }
    }

    async function join() {
        try {
            apply(await connection.invoke("Join", token));
            document.documentElement.dataset.live = "connected";
        } catch (e) {
            // The token was refused: the link was replaced; the page itself says so (an overlay's goes blank).
            if (String(e).includes("not valid")) location.reload();
            else throw e;
        }
    }

    function apply(view) {
        clockOffset = Date.parse(view.serverTime) - Date.now();
        const key = `${view.phase}:${view.question ? view.question.id : 0}`.toLowerCase();
        const shape = shapeOf(view);
        // A podium or leaderboard without someone just left out of the rankings, a question added ("of 4"), the event
        // renamed: the same phase, other markup. The screen must not keep showing a name the organizers took off it.
        const reshaped = shown !== null && shape !== shown;
        shown = shape;
        if (key !== phase || reshaped) {
            phase = key;
            swap();
            return;
        }
        set("answers", count(view.counts.answers));
        set("people", count(view.counts.people));
        // "Thirty more seconds!": the host's extra time reaches an open screen too.
        const deadline = view.question && view.question.deadline;
        if (deadline)
            for (const el of stage.querySelectorAll('[data-field="countdown"]'))
                if (Date.parse(el.dataset.deadline) !== Date.parse(deadline)) {
                    el.dataset.deadline = deadline;
                    tick();
                }
    }

    // Everything in the view but what changes in place: the counts, the server's clock and the deadline (extra time).
    function shapeOf(view) {
        const { counts, serverTime, question, ...rest } = view;
        return JSON.stringify([rest, question && { ...question, deadline: null }]);
    }

    function set(field, text) {
        for (const el of stage.querySelectorAll(`[data-field="${field}"]`))
            if (el.textContent !== text) {
                el.textContent = text;
                // Six digits or more in a box made for five: narrower digits (as the server draws them), not digits over the label.
                el.style.transform = text.length > 5 ? `scaleX(${(5 / text.length).toFixed(3)})` : "";
            }
    }

    // One renderer: the server's markup for the new phase replaces the stage, no second template in JS.
    async function swap() {
        if (swapping) { swapAgain = true; return; } // the markup on its way may be older than this change
        swapping = true;
        swapAgain = false;
        try {
            const response = await fetch(location.href, { cache: "no-store" });
            // A link no longer valid (replaced, or its event deleted) is refused: reload onto the page that says so
            // (an overlay's only in its title and console: it goes blank rather than show the stream an error).
            if (response.status === 404 || response.status === 410) { location.reload(); return; }
            const html = new DOMParser().parseFromString(await response.text(), "text/html");
            const next = html.querySelector("[data-presenter]");
            if (next) {
                stage.replaceWith(next);
                stage = next;
                fit();
                tick();
            }
        } catch (e) {
            console.warn("presenter: could not refresh the stage", e);
        } finally {
            swapping = false;
            if (swapAgain) swap();
            else if (stage.dataset.phase !== phase) setTimeout(swap, 1000);
        }
    }

    // A long prompt gets smaller type until it fits the height left beside the QR code, rather than losing its last lines.
    function fitPrompt() {
        const prompt = stage.querySelector(".prompt");
        if (!prompt) return;
        prompt.style.fontSize = "";
        const floor = innerHeight * 0.015;
        for (let size = parseFloat(getComputedStyle(prompt).fontSize); prompt.scrollHeight > prompt.clientHeight + 1 && size > floor;) {
            size = Math.max(floor, size * 0.95);
            prompt.style.fontSize = `${size}px`;
        }
    }

    // The podium's names on one line, all three in the size the longest fits in, but no smaller than the smallest the
    // page gives them (presenter.css): one that does not fit even so wraps instead, whole. A team stays smaller than
    // the names, so that the eye goes to who won.
    function fitNames() {
        const names = [...stage.querySelectorAll(".podium .name")];
        const teams = [...stage.querySelectorAll(".podium .team")];
        if (names.length === 0) return;
        const unit = stage.classList.contains("overlay") ? Math.min(innerHeight, innerWidth * 0.5625) / 100 : innerHeight / 100;
        const floor = (stage.classList.contains("overlay") ? 3.2 : 4) * unit;
        for (const element of [...names, ...teams]) element.style.fontSize = "";
        for (const name of names) name.classList.add("one-line");
        // Not a pixel over: one line ends in "…" as soon as it is wider than its box.
        const wide = () => names.some(n => n.scrollWidth > n.clientWidth);
        let size = Math.max(...names.map(n => parseFloat(getComputedStyle(n).fontSize)));
        while (wide() && size > floor) {
            size = Math.max(floor, size * 0.95);
            for (const name of names) name.style.fontSize = `${size}px`;
        }
        for (const name of names)
            if (name.scrollWidth > name.clientWidth) name.classList.remove("one-line");
        for (const team of teams)
            if (parseFloat(getComputedStyle(team).fontSize) > 0.8 * size) team.style.fontSize = `${0.8 * size}px`;
    }

    // The leaderboard's rows in the size the longest name and team fit in, down to the size ten rows have (presenter.css):
    // few rows come in large type, and a usual name is shown whole rather than cut. One longer still ends in "…".
    function fitLeaderboard() {
        const rows = [...stage.querySelectorAll(".leaderboard .row")];
        if (rows.length === 0) return;
        for (const row of rows) row.style.fontSize = "";
        const names = rows.map(r => r.querySelector(".who")).filter(n => n);
        const cut = () => names.some(n => n.scrollWidth > n.clientWidth);
        let size = parseFloat(getComputedStyle(rows[0]).fontSize);
        const floor = Math.min(size, innerHeight * 0.05);
        while (cut() && size > floor) {
            size = Math.max(floor, size * 0.95);
            for (const row of rows) row.style.fontSize = `${size}px`;
        }
    }

    // Whatever a screen's shape and a question's contents (ten long options under a podium on a 4:3 projector, say), the
    // stage is drawn smaller rather than cut at the screen's edge.
    function fitStage() {
        if (!stage.classList.contains("full")) return;
        stage.style.transform = "";
        const scale = Math.min(1, innerHeight / stage.scrollHeight, innerWidth / stage.scrollWidth);
        if (scale < 0.999) {
            stage.style.transformOrigin = "top center";
            stage.style.transform = `scale(${scale.toFixed(4)})`;
        }
    }

    function fit() {
        fitPrompt();
        fitNames();
        fitLeaderboard();
        fitStage();
    }

    function tick() {
        for (const el of stage.querySelectorAll('[data-field="countdown"]')) {
            const left = Math.max(0, Math.ceil((Date.parse(el.dataset.deadline) - (Date.now() + clockOffset)) / 1000));
            const text = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
            if (el.textContent !== text) el.textContent = text;
        }
    }

    addEventListener("resize", fit);
    fit();
    document.fonts.ready.then(fit);
    setInterval(tick, 250);
    start();
})();

// The first field with a mistake, in the order of the form: the keyboard (and a screen reader) starts where the fix is.
export function focusFirstMistake(form) {
    const field = form.querySelector('.mud-input-error, fieldset:has(.field-error)');
    field?.querySelector('input, textarea')?.focus();
}

// After "Save and add another" the page would stay scrolled down at the button: the next question starts at the top, its title in view, typing in its prompt.
export function focusFreshForm(form) {
    form.querySelector('#question-prompt')?.focus({ preventScroll: true });
    window.scrollTo({ top: 0 });
}

// What was typed and not saved, kept in this tab until it is saved or given up: a reload (the server restarted, say) loses nothing.
export function keepDraft(key, text) {
    sessionStorage.setItem(key, text);
}

export function keptDraft(key) {
    return sessionStorage.getItem(key);
}

export function dropDraft(key) {
    sessionStorage.removeItem(key);
}

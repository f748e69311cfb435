// The first field with a mistake, in the order of the form: the keyboard (and a screen reader) starts where the fix is.
export function focusFirstMistake(form) {
    const field = form.querySelector('.mud-input-error, fieldset:has(.field-error)');
    field?.querySelector('input, textarea')?.focus();
}

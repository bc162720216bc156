"""What the site's forms share: focus lands on the first field in error."""


class FocusFirstError:
    """A form mixin: once validated with errors, the first field in error (not the first field, as Django's sign-up
    and sign-in forms have it) carries `autofocus`, so the page opens with the cursor where the problem is."""

    def full_clean(self):
        super().full_clean()
        if not self._errors:
            return
        in_error = [name for name in self.fields if name in self._errors]
        if not in_error:  # only the form's own errors: focus stays where the form puts it
            return
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        self.fields[in_error[0]].widget.attrs["autofocus"] = True

from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "xuncha.synth"
    label = "synth"
    # Developer tooling, never shown to users: a plain string keeps it out of the translation catalog.
    verbose_name = "Synthetic data and benchmark"

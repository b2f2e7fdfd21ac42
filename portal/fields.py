"""Model fields shared by the apps."""

from django_fsm import FSMField


class StateField(FSMField):
    """A workflow's state: django-fsm's ``FSMField``, recorded in migrations as the ``CharField`` it is in the database.

    Every ``FSMField`` that Django builds connects a ``class_prepared`` receiver, which runs for every model class
    prepared afterwards. ``migrate`` builds thousands of historical model classes; with ``FSMField`` in the
    migrations their receivers piled up, each run again for every class prepared after it: 5 million receiver calls
    and about half of ``migrate``'s CPU (54 s of 100 s, cProfile). Historical models never run transitions, so the
    migrations hold a plain ``CharField`` with the same column, and ``makemigrations`` sees no change.
    """

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("protected", None)
        return name, "django.db.models.CharField", args, kwargs
